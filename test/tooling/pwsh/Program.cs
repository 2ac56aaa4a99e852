// The pwsh console host: hands the command line to PowerShell's own entry point, exactly as the shipped pwsh does.
namespace ErsPwsh;

public static class Program
{
    public static int Main(string[] args) => Microsoft.PowerShell.UnmanagedPSEntry.Start(args, args.Length);
}
