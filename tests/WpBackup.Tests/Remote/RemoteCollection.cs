using WpBackup.Tests.Sandbox;
using WpBackup.Tests.Ssh;

namespace WpBackup.Tests.Remote;

/// <summary>Tests that need a real sshd and a real MariaDB together.</summary>
[CollectionDefinition("remote")]
public sealed class RemoteCollection : ICollectionFixture<SshdFixture>, ICollectionFixture<MariaDbFixture>;
