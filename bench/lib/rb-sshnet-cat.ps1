# rb-sshnet-cat.ps1 DLL HOST PORT USER KEY REMOTE_FILE: runs `cat REMOTE_FILE` over SSH.NET
# (the assembly WpBackup ships) and copies its output to Stream.Null; prints the bytes read.
# Host key not checked, and REMOTE_FILE is also read locally for its size (loopback benchmark only). Run with `wpbackup -File` or -Command.
param($Dll, $HostName, [int]$Port, $User, $Key, $RemoteFile)
$ErrorActionPreference = 'Stop'
[void][System.Reflection.Assembly]::LoadFrom($Dll)  # the wpbackup host has no Add-Type
$auth = [Renci.SshNet.PrivateKeyAuthenticationMethod]::new($User, [Renci.SshNet.IPrivateKeySource[]]@([Renci.SshNet.PrivateKeyFile]::new($Key)))
$info = [Renci.SshNet.ConnectionInfo]::new($HostName, $Port, $User, [Renci.SshNet.AuthenticationMethod[]]@($auth))
# WpBackup's cipher order where this build has it (the module is loaded in the wpbackup host), else SSH.NET's own.
$preference = 'WpBackup.Core.Hosts.Ssh.SshAlgorithmPreference' -as [type]
if ($preference) { $preference::Apply($info) }
$client = [Renci.SshNet.SshClient]::new($info)
$client.Connect()
$cmd = $client.CreateCommand("cat '$RemoteFile'")
$async = $cmd.BeginExecute()
$counter = [System.IO.Stream]::Null
$buffer = [byte[]]::new(1MB); $total = 0L
while (($n = $cmd.OutputStream.Read($buffer, 0, $buffer.Length)) -gt 0) { $total += $n }
[void]$cmd.EndExecute($async)
$client.Disconnect()
if ($total -ne [System.IO.FileInfo]::new($RemoteFile).Length) { throw "read $total bytes, expected $([System.IO.FileInfo]::new($RemoteFile).Length)" }
"$total bytes, cipher $($info.CurrentServerEncryption) $($info.CurrentServerHmacAlgorithm)"
