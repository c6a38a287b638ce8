namespace WpBackup.Cmdlets.Commands;
