# The real PowerShell parser as the oracle for every rendered script:
#  - injection: a benign and a hostile render parse to the same AST shape, and each hostile value is exactly one
#    StringConstantExpressionAst whose Value is the input (the parser treats ‘ ’ ‚ ‛ as quotes, like Windows);
#  - the Windows PowerShell 5.1 guard: no syntax 5.1 lacks, and no command or parameter missing from an edition
#    the script runs in. The commands are taken from the AST, not listed by hand.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Ers.ps1')
    $script:Scripts = @((Invoke-ErsBridge @{ op = 'scripts' }).scripts)
}
BeforeAll {
    . (Join-Path $PSScriptRoot 'Ers.ps1')
    function Get-Ast { param([string]$Text)
        $tokens = $null; $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseInput($Text, [ref]$tokens, [ref]$errors)
        [pscustomobject]@{ Ast = $ast; Errors = @($errors); Tokens = @($tokens) }
    }
    function Get-Shape { param($Ast) (@($Ast.FindAll({ $true }, $true) | ForEach-Object { $_.GetType().Name }) -join ' ') }
}

Describe 'injection: the real parser sees every hostile value as one string constant' {
    BeforeAll { $script:Renders = @((Invoke-ErsBridge @{ op = 'hostileRenders' }).renders) }
    It 'renders hostile values (typographic quotes among them) for the comparison' {
        $Renders.Count | Should -BeGreaterThan 50
        @($Renders | Where-Object { ($_.values -join '') -match '[\u2018\u2019\u201A\u201B]' }).Count | Should -BeGreaterThan 10
    }
    It 'every hostile render has the benign render''s AST shape and holds each value as exactly one StringConstantExpressionAst' {
        $shapes = @{}
        $bad = [System.Collections.Generic.List[string]]::new()
        foreach ($r in $Renders) {
            if (-not $shapes.ContainsKey($r.benign)) { $b = Get-Ast $r.benign; $shapes[$r.benign] = Get-Shape $b.Ast }
            $h = Get-Ast $r.hostile
            if ($h.Errors.Count) { $bad.Add("$($r.label): parse error $($h.Errors[0].Message)"); continue }
            if ((Get-Shape $h.Ast) -ne $shapes[$r.benign]) { $bad.Add("$($r.label): AST shape differs"); continue }
            foreach ($v in $r.values) {
                $hits = @($h.Ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.StringConstantExpressionAst] -and $n.Value -ceq $v }, $true))
                if ($hits.Count -ne 1) { $bad.Add("$($r.label): the value appears as $($hits.Count) string constants") }
            }
        }
        $bad | Should -BeNullOrEmpty
    }
}

Describe 'injection: hostile values never run (each script executed with every Windows-only command a logging stub)' {
    BeforeAll {
        $script:Canary = Join-Path ([System.IO.Path]::GetTempPath()) ('ers-canary-' + [guid]::NewGuid().ToString('N'))
        $env:ERS_CANARY = $script:Canary
        $script:Called = [System.Collections.Generic.List[string]]::new()
        foreach ($name in @($script:ErsWindowsOnly.Keys)) { Mock $name ([scriptblock]::Create("`$script:Called.Add('$name')")) }
        Mock Import-Module { } -ParameterFilter { $Name -eq 'ActiveDirectory' }
        Mock New-PSSession { throw 'no Exchange endpoint here' }
        $script:Renders = @((Invoke-ErsBridge @{ op = 'canaryRenders' }).renders)
    }
    AfterAll { Remove-Item -LiteralPath $script:Canary -Force -ErrorAction Ignore; Remove-Item Env:\ERS_CANARY -ErrorAction Ignore }
    It 'every accepted render runs: checks print their document, nothing creates the canary file' {
        $Renders.Count | Should -BeGreaterThan 20
        $bad = [System.Collections.Generic.List[string]]::new()
        foreach ($r in $Renders) {
            $out = try { Invoke-ErsScript -Script $r.script -WhatIf:($r.kind -ne 'check') } catch { "threw: $_" }
            if (Test-Path -LiteralPath $Canary) { $bad.Add("$($r.label): injected code ran"); Remove-Item -LiteralPath $Canary -Force }
            if ($r.kind -ne 'remediation' -and $out -notmatch '##ERS-RESULT-BEGIN:PesterToken01##') { $bad.Add("$($r.label): no result document") }
        }
        $bad | Should -BeNullOrEmpty
        @($Called | Sort-Object -Unique | Where-Object { $_ -notin @($script:ErsWindowsOnly.Keys) }) | Should -BeNullOrEmpty
    }
}

Describe 'Windows PowerShell 5.1 guard' {
    BeforeAll {
        # Syntax that Windows PowerShell 5.1 does not parse or run.
        function Get-Ps7Syntax { param($Ast, $Tokens)
            $found = [System.Collections.Generic.List[string]]::new()
            foreach ($n in $Ast.FindAll({ $true }, $true)) {
                $t = $n.GetType().Name
                if ($t -eq 'TernaryExpressionAst') { $found.Add('?: ternary') }
                if ($t -eq 'PipelineChainAst') { $found.Add('&& / || pipeline chain') }
                if ($t -eq 'BinaryExpressionAst' -and [string]$n.Operator -eq 'QuestionQuestion') { $found.Add('?? operator') }
                if ($t -eq 'AssignmentStatementAst' -and [string]$n.Operator -eq 'QuestionQuestionEquals') { $found.Add('??= operator') }
                if (($t -eq 'MemberExpressionAst' -or $t -eq 'InvokeMemberExpressionAst') -and $n.NullConditional) { $found.Add('?. / ?[] null-conditional access') }
                if ($t -eq 'IndexExpressionAst' -and $n.NullConditional) { $found.Add('?[] null-conditional index') }
                if ($t -eq 'ScriptBlockAst' -and $null -ne $n.CleanBlock) { $found.Add('clean block') }
                if ($t -eq 'CommandAst' -and $n.GetCommandName() -in @('ForEach-Object', '%', 'foreach') -and @($n.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.CommandParameterAst] -and 'Parallel' -like ($_.ParameterName + '*') -and $_.ParameterName.Length -ge 2 }).Count) { $found.Add('ForEach-Object -Parallel') }
                if ($t -eq 'ExpandableStringExpressionAst' -and $n.Extent.Text -match '`u\{') { $found.Add('`u{} escape') }
            }
            $found
        }
        # Edition knowledge (data): commands removed in PowerShell 6/7, and parameters that appeared only in 6/7.
        $script:NotIn7 = @('Add-PSSnapin', 'Remove-PSSnapin', 'Get-PSSnapin', 'Export-Console', 'Get-EventLog', 'Clear-EventLog', 'Write-EventLog', 'Limit-EventLog', 'New-EventLog', 'Remove-EventLog', 'Show-EventLog',
            'Get-WmiObject', 'Set-WmiInstance', 'Invoke-WmiMethod', 'Remove-WmiObject', 'Register-WmiEvent', 'Get-Transaction', 'Start-Transaction', 'Complete-Transaction', 'Undo-Transaction', 'Use-Transaction',
            'New-WebServiceProxy', 'Get-ControlPanelItem', 'Show-ControlPanelItem', 'Add-Computer', 'Remove-Computer', 'Checkpoint-Computer', 'Restore-Computer', 'Reset-ComputerMachinePassword', 'Test-ComputerSecureChannel', 'Out-Printer', 'ConvertFrom-String', 'Convert-String')
        $script:NewIn6 = @{
            'ConvertTo-Json' = @('EnumsAsStrings', 'AsArray', 'EscapeHandling'); 'ConvertFrom-Json' = @('AsHashtable', 'Depth', 'NoEnumerate'); 'Get-Date' = @('AsUTC'); 'Select-Object' = @('SkipIndex')
            'Sort-Object' = @('Top', 'Bottom', 'Stable'); 'Get-Content' = @('AsByteStream'); 'Set-Content' = @('AsByteStream'); 'Split-Path' = @('Extension', 'LeafBase'); 'Join-Path' = @('AdditionalChildPath')
            'Invoke-WebRequest' = @('SkipCertificateCheck', 'Authentication', 'Token', 'SslProtocol'); 'Invoke-RestMethod' = @('SkipCertificateCheck', 'Authentication', 'Token', 'StatusCodeVariable')
            'Test-Connection' = @('TargetName', 'TcpPort', 'Ping', 'Traceroute'); 'Get-ChildItem' = @('FollowSymlink'); 'Start-Process' = @('Environment'); 'Where-Object' = @('Not'); 'Get-Random' = @('Shuffle')
            'Test-Json' = @('Json'); 'Out-File' = @(); 'Remove-Item' = @(); 'New-PSSession' = @('HostName', 'SSHTransport', 'KeyFilePath', 'SSHConnection', 'Subsystem', 'Options'); 'Invoke-Command' = @('HostName', 'SSHTransport', 'KeyFilePath', 'SSHConnection', 'Subsystem', 'Options')
            'Import-PSSession' = @(); 'Get-WinEvent' = @()
        }
        $script:CommandsNewIn6 = @('Test-Json', 'Get-Uptime', 'Remove-Alias', 'Get-Error', 'ConvertTo-SecureString2', 'Join-String', 'Remove-Service', 'Clear-RecycleBin')
        # Commands the scripts call that exist only on Windows (here they are the Pester tier's stand-ins with the real parameter names).
        $script:WindowsOnly = @('Get-Service', 'Set-Service', 'Start-Service', 'Get-CimInstance', 'Get-PSSessionConfiguration', 'Enable-PSRemoting', 'Get-WinEvent', 'Get-WSManInstance', 'Set-WSManInstance', 'New-WSManInstance',
            'New-SelfSignedCertificate', 'Get-NetConnectionProfile', 'Get-NetFirewallPortFilter', 'Get-NetFirewallAddressFilter', 'Get-NetFirewallRule', 'New-NetFirewallRule', 'Set-NetFirewallRule', 'Add-LocalGroupMember',
            'Get-ADComputer', 'Set-ADAccountControl', 'Get-ManagementRoleAssignment', 'Get-ManagementRoleEntry', 'Get-ManagementRole', 'New-ManagementRole', 'Remove-ManagementRoleEntry', 'New-ManagementRoleAssignment',
            'Get-RoleGroup', 'New-RoleGroup', 'Get-RoleGroupMember', 'Add-RoleGroupMember', 'Get-User', 'Set-User')
        $script:Common = @([System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters)
        # Each command invocation with the parameter names it uses, from the AST (functions the script defines itself excluded).
        function Get-Invocations { param($Ast)
            $own = @($Ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $true) | ForEach-Object Name)
            foreach ($c in $Ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] }, $true)) {
                $name = $c.GetCommandName()
                if (-not $name -or $own -contains $name) { continue }
                [pscustomobject]@{ Name = $name; Parameters = @($c.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.CommandParameterAst] } | ForEach-Object ParameterName); Line = $c.Extent.StartLineNumber }
            }
        }
        # Whether a (possibly abbreviated) parameter name resolves on a command's metadata.
        function Test-Parameter { param($Command, [string]$Parameter)
            $names = @($Command.Parameters.Keys) + @($Command.Parameters.Values | ForEach-Object { $_.Aliases })
            @($names | Where-Object { $_ -like ($Parameter + '*') }).Count -gt 0
        }
    }

    It 'sees every step''s scripts and the runbooks (<_.label>)' -ForEach $Scripts {
        $p = Get-Ast $_.script
        $p.Errors | Should -BeNullOrEmpty
        $problems = [System.Collections.Generic.List[string]]::new()
        foreach ($s in (Get-Ps7Syntax $p.Ast $p.Tokens)) { $problems.Add("syntax 5.1 lacks: $s") }
        foreach ($i in (Get-Invocations $p.Ast)) {
            if ($NotIn7 -contains $i.Name) { $problems.Add("line $($i.Line): $($i.Name) does not exist in PowerShell 7") }
            if ($CommandsNewIn6 -contains $i.Name) { $problems.Add("line $($i.Line): $($i.Name) does not exist in Windows PowerShell 5.1") }
            foreach ($param in $i.Parameters) {
                if ($NewIn6.ContainsKey($i.Name) -and @($NewIn6[$i.Name] | Where-Object { $_ -like ($param + '*') }).Count) { $problems.Add("line $($i.Line): $($i.Name) -$param does not exist in Windows PowerShell 5.1") }
            }
            $cmd = Get-Command -Name $i.Name -ErrorAction Ignore | Select-Object -First 1
            if ($null -eq $cmd) { if ($WindowsOnly -notcontains $i.Name -and $NotIn7 -notcontains $i.Name) { $problems.Add("line $($i.Line): unknown command $($i.Name)") }; continue }
            foreach ($param in $i.Parameters) {
                if ($Common -contains $param -or $param -in @('WhatIf', 'Confirm')) { continue }
                # Provider-specific parameters (Set-Item -Concatenate on WSMan:) are checked by the step's own Pester test.
                if ($i.Name -eq 'Set-Item' -and $param -eq 'Concatenate') { continue }
                if (-not (Test-Parameter $cmd $param)) { $problems.Add("line $($i.Line): $($i.Name) has no parameter -$param in $($PSVersionTable.PSEdition) $($PSVersionTable.PSVersion) on $([System.Environment]::OSVersion.Platform)") }
            }
        }
        $problems | Should -BeNullOrEmpty
    }

    It 'catches what it should: syntax, commands and parameters a probe script uses on purpose' {
        $probe = @'
$a = $x ? 1 : 2
$b = $y ?? 3
$c = ${z}?.Name
Get-Item . && Get-Item .
1..2 | ForEach-Object -Parallel { $_ }
Add-PSSnapin -Name 'Microsoft.Exchange.Management.PowerShell.SnapIn'
Get-EventLog -LogName Application
ConvertTo-Json -InputObject 1 -EnumsAsStrings
New-PSSessionOption -ProxyAccessType NoProxyServer
'@
        $p = Get-Ast $probe
        @(Get-Ps7Syntax $p.Ast $p.Tokens) | Should -Be @('?: ternary', '?? operator', '?. / ?[] null-conditional access', '&& / || pipeline chain', 'ForEach-Object -Parallel')
        $names = @(Get-Invocations $p.Ast | ForEach-Object Name)
        $names | Should -Contain 'Add-PSSnapin'
        $names | Should -Contain 'Get-EventLog'
        $opt = Get-Command New-PSSessionOption
        if (-not $IsWindows) { Test-Parameter $opt 'ProxyAccessType' | Should -BeFalse }
    }
}
