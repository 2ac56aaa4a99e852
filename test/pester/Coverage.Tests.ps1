# Runs last (run.ps1 orders it so): every step's check has a Pester test for every verdict its evaluator knows.
# The verdicts an evaluator knows are read from its source: each status literal its decide() writes, plus "error",
# which the envelope gives every step whose check cannot run. The pairs the tier covered are those the other test
# files really produced (Invoke-ErsCheck records each evaluated result), not test names.
BeforeDiscovery { $script:Full = [bool]$global:ErsFullRun }
BeforeAll {
    . (Join-Path $PSScriptRoot 'Ers.ps1')
    $steps = Join-Path $script:ErsRoot 'src/checks/steps'
    $script:Known = [System.Collections.Generic.List[string]]::new()
    $script:Computed = [System.Collections.Generic.List[string]]::new()
    foreach ($file in Get-ChildItem -Path $steps -Filter '*.ts') {
        $src = Get-Content -Raw -LiteralPath $file.FullName
        $id = [regex]::Match($src, "(?m)^\s+id: '([a-z0-9-]+)',").Groups[1].Value
        if (-not $id) { continue }
        $statuses = @([regex]::Matches($src, "\bstatus: '([A-Za-z]+)'") | ForEach-Object { $_.Groups[1].Value }) + @('error') | Sort-Object -Unique
        foreach ($s in $statuses) { $script:Known.Add($id + ' ' + $s) }
        foreach ($m in [regex]::Matches($src, "\bstatus: (?!')[^,}]+")) { $script:Computed.Add($file.Name + ': ' + $m.Value) }
    }
    $global:ErsKnownVerdicts = @($script:Known)
}

Describe 'Pester coverage of the evaluators' {
    It 'reads the verdicts from every step of the catalog' {
        $ids = @((Invoke-ErsBridge @{ op = 'catalog' }).steps | ForEach-Object id)
        @($script:Known | ForEach-Object { ($_ -split ' ')[0] } | Sort-Object -Unique) | Should -Be @($ids | Sort-Object)
        # A status computed from an expression would hide a verdict from this reading.
        @($script:Computed) | Should -BeNullOrEmpty
    }
    It 'every step/verdict pair an evaluator knows was produced by a Pester test' -Skip:(-not $script:Full) {
        $missing = @($script:Known | Where-Object { -not $global:ErsVerdictsSeen.ContainsKey($_) })
        $missing | Should -BeNullOrEmpty -Because 'each of these step/verdict pairs needs a Pester test that produces it'
    }
}
