using WpBackup.Tests.Sandbox;
using WpBackup.Tests.Ssh;

namespace WpBackup.Tests.Remote;

/// <summary>
/// Tests that count the sshd's connections and the server's processes: they run after every other
/// collection, alone, with an sshd and a MariaDB of their own, so no other test's traffic is counted.
/// </summary>
[CollectionDefinition("remote-alone", DisableParallelization = true)]
public sealed class RemoteAloneCollection : ICollectionFixture<SshdFixture>, ICollectionFixture<MariaDbFixture>;
