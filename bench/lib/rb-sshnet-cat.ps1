# rb-sshnet-cat.ps1 DLL HOST PORT USER KEY REMOTE_FILE: runs `cat REMOTE_FILE` over SSH.NET
# (the assembly WpBackup ships) and copies its output to Stream.Null; prints the bytes read.
# Host key not checked (loopback benchmark only). Run with `wpbackup -File` or -Command.
param($Dll, $HostName, [int]$Port, $User, $Key, $RemoteFile)
Add-Type -Path $Dll
$client = [Renci.SshNet.SshClient]::new($HostName, $Port, $User, [Renci.SshNet.PrivateKeyFile[]]@([Renci.SshNet.PrivateKeyFile]::new($Key)))
$client.Connect()
$cmd = $client.CreateCommand("cat '$RemoteFile'")
$async = $cmd.BeginExecute()
$counter = [System.IO.Stream]::Null
$buffer = [byte[]]::new(1MB); $total = 0L
while (($n = $cmd.OutputStream.Read($buffer, 0, $buffer.Length)) -gt 0) { $total += $n }
[void]$cmd.EndExecute($async)
$client.Disconnect()
"$total bytes"
