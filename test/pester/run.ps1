# Runs the Pester tier: every test/pester/*.Tests.ps1 in this one pwsh process (the real pwsh 7.6.9 that
# scripts/ensure-tools.sh builds), with Pester 5.7.1 from $env:ERS_PESTER_MODULE. Appends its totals to
# $env:ERS_TEST_COUNTS like the mocha counting reporter, and prints how many checks × verdicts (and how many of
# the step/verdict pairs the evaluators know they cover) and remediations it ran. Exit code 0 only when every test passed.
param([string[]]$Path = @(), [string]$Output = 'Normal')
$ErrorActionPreference = 'Stop'
$env:NO_COLOR = '1'
$here = $PSScriptRoot
if (-not $env:ERS_PESTER_MODULE -or -not (Test-Path -Path $env:ERS_PESTER_MODULE)) { throw 'ERS_PESTER_MODULE does not name the Pester 5.7.1 module (run scripts/ensure-tools.sh).' }
Import-Module -Name $env:ERS_PESTER_MODULE -RequiredVersion 5.7.1
$Path = @($Path | ForEach-Object { $_ -split "," } | Where-Object { $_ })
$config = New-PesterConfiguration
# Coverage.Tests.ps1 runs last: it compares the step/verdict pairs the other files produced with those the
# evaluators know, so it only means something in a full run (it is skipped when -Path names files).
$global:ErsFullRun = $Path.Count -eq 0
$global:ErsVerdictsSeen = @{}
$all = @(Get-ChildItem -Path (Join-Path $here '*.Tests.ps1') | Sort-Object -Property Name)
$config.Run.Path = if ($Path.Count) { $Path } else { @($all | Where-Object Name -NE 'Coverage.Tests.ps1' | ForEach-Object FullName) + @($all | Where-Object Name -EQ 'Coverage.Tests.ps1' | ForEach-Object FullName) }
$config.Run.PassThru = $true
$config.Output.Verbosity = $Output
$config.Output.RenderMode = 'Plaintext'
$config.Should.ErrorAction = 'Stop'
$run = Invoke-Pester -Configuration $config
if ($global:ErsBridge -and -not $global:ErsBridge.HasExited) { $global:ErsBridge.StandardInput.Close(); $global:ErsBridge.WaitForExit(5000) | Out-Null }
$tests = @($run.Tests)
function Get-AllTags($t) { $tags = @($t.Tag); $b = $t.Block; while ($b) { $tags += @($b.Tag); $b = $b.Parent }; $tags }
$checks = @($tests | Where-Object { (Get-AllTags $_) -contains 'verdict' })
$remediations = @($tests | Where-Object { (Get-AllTags $_) -contains 'remediation' })
$pairs = ''
if ($global:ErsKnownVerdicts) {
    $covered = @($global:ErsKnownVerdicts | Where-Object { $global:ErsVerdictsSeen.ContainsKey($_) }).Count
    $pairs = ' covering {0} of {1} step/verdict pairs the evaluators know' -f $covered, @($global:ErsKnownVerdicts).Count
}
Write-Output ('pester: {0} checks × verdicts{3}, {1} remediation cases (with and without -WhatIf, idempotence, runbooks), {2} other' -f $checks.Count, $remediations.Count, ($tests.Count - $checks.Count - $remediations.Count), $pairs)
$failed = $run.FailedCount + $run.FailedBlocksCount + $run.FailedContainersCount
if ($env:ERS_TEST_COUNTS) {
    $line = ConvertTo-Json -Compress -InputObject ([ordered]@{ tier = $(if ($env:ERS_TEST_TIER) { $env:ERS_TEST_TIER } else { 'pester' }); passes = $run.PassedCount; failures = $failed; pending = $run.SkippedCount + $run.NotRunCount })
    Add-Content -LiteralPath $env:ERS_TEST_COUNTS -Value $line
}
exit $(if ($failed -gt 0) { 1 } else { 0 })
