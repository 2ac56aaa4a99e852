// The theme variables VS Code puts on a webview's <html> (a subset, with the values of its Light Modern, Dark Modern and
// High Contrast Dark themes), so screenshots look like the real editor in each theme kind.

export type ThemeName = 'light' | 'dark' | 'hc';

const common: Record<string, string> = {
  '--vscode-font-family': '-apple-system, BlinkMacSystemFont, "Segoe WPC", "Segoe UI", "Ubuntu", "Droid Sans", sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-font-weight': 'normal',
  '--vscode-editor-font-family': 'Consolas, "Courier New", monospace',
  '--vscode-editor-font-size': '13px',
};

const light: Record<string, string> = {
  ...common,
  '--vscode-foreground': '#3b3b3b', '--vscode-descriptionForeground': '#3b3b3b', '--vscode-disabledForeground': 'rgba(97, 97, 97, 0.5)',
  '--vscode-errorForeground': '#f85149', '--vscode-focusBorder': '#005fb8', '--vscode-editor-background': '#ffffff', '--vscode-editor-foreground': '#3b3b3b',
  '--vscode-panel-border': '#e5e5e5', '--vscode-editorGroup-border': '#e5e5e5',
  '--vscode-button-background': '#005fb8', '--vscode-button-foreground': '#ffffff', '--vscode-button-hoverBackground': '#0258a8', '--vscode-button-border': '#0000001a',
  '--vscode-button-secondaryBackground': '#e5e5e5', '--vscode-button-secondaryForeground': '#3b3b3b', '--vscode-button-secondaryHoverBackground': '#cccccc',
  '--vscode-input-background': '#ffffff', '--vscode-input-foreground': '#3b3b3b', '--vscode-input-border': '#cecece', '--vscode-input-placeholderForeground': '#767676',
  '--vscode-inputOption-activeBackground': '#bed6ed', '--vscode-inputOption-activeBorder': '#005fb8', '--vscode-inputOption-activeForeground': '#000000',
  '--vscode-dropdown-background': '#ffffff', '--vscode-dropdown-foreground': '#3b3b3b', '--vscode-dropdown-border': '#cecece',
  '--vscode-list-hoverBackground': '#f2f2f2', '--vscode-list-activeSelectionBackground': '#e8e8e8', '--vscode-list-activeSelectionForeground': '#000000',
  '--vscode-list-inactiveSelectionBackground': '#e4e6f1',
  '--vscode-editorError-foreground': '#e51400', '--vscode-editorWarning-foreground': '#bf8803', '--vscode-editorInfo-foreground': '#1a85ff',
  '--vscode-charts-green': '#388a34', '--vscode-charts-purple': '#652d90', '--vscode-charts-blue': '#1a85ff', '--vscode-charts-orange': '#d18616',
  '--vscode-scrollbarSlider-background': 'rgba(100, 100, 100, 0.4)', '--vscode-scrollbarSlider-hoverBackground': 'rgba(100, 100, 100, 0.7)', '--vscode-scrollbarSlider-activeBackground': 'rgba(0, 0, 0, 0.6)',
  '--vscode-scrollbar-shadow': '#dddddd', '--vscode-progressBar-background': '#005fb8',
  '--vscode-editor-findMatchHighlightBackground': 'rgba(234, 92, 0, 0.33)', '--vscode-textLink-foreground': '#005fb8',
  '--vscode-textCodeBlock-background': '#f8f8f8', '--vscode-inputValidation-errorBackground': '#f2dede', '--vscode-inputValidation-errorBorder': '#be1100',
  '--vscode-inputValidation-warningBorder': '#b89500', '--vscode-keybindingTable-headerBackground': 'rgba(59, 59, 59, 0.04)',
  '--vscode-toolbar-hoverBackground': 'rgba(184, 184, 184, 0.31)', '--vscode-panelTitle-activeBorder': '#005fb8', '--vscode-panelTitle-activeForeground': '#3b3b3b',
  '--vscode-tree-indentGuidesStroke': '#a9a9a9', '--vscode-sash-hoverBorder': '#005fb8',
};

const dark: Record<string, string> = {
  ...common,
  '--vscode-foreground': '#cccccc', '--vscode-descriptionForeground': '#9d9d9d', '--vscode-disabledForeground': 'rgba(204, 204, 204, 0.5)',
  '--vscode-errorForeground': '#f85149', '--vscode-focusBorder': '#0078d4', '--vscode-editor-background': '#1f1f1f', '--vscode-editor-foreground': '#cccccc',
  '--vscode-panel-border': '#2b2b2b', '--vscode-editorGroup-border': '#ffffff17',
  '--vscode-button-background': '#0078d4', '--vscode-button-foreground': '#ffffff', '--vscode-button-hoverBackground': '#026ec1', '--vscode-button-border': '#ffffff12',
  '--vscode-button-secondaryBackground': '#313131', '--vscode-button-secondaryForeground': '#cccccc', '--vscode-button-secondaryHoverBackground': '#3c3c3c',
  '--vscode-input-background': '#313131', '--vscode-input-foreground': '#cccccc', '--vscode-input-border': '#3c3c3c', '--vscode-input-placeholderForeground': '#989898',
  '--vscode-inputOption-activeBackground': 'rgba(36, 137, 219, 0.51)', '--vscode-inputOption-activeBorder': '#2488db', '--vscode-inputOption-activeForeground': '#ffffff',
  '--vscode-dropdown-background': '#313131', '--vscode-dropdown-foreground': '#cccccc', '--vscode-dropdown-border': '#3c3c3c',
  '--vscode-list-hoverBackground': '#2a2d2e', '--vscode-list-activeSelectionBackground': '#04395e', '--vscode-list-activeSelectionForeground': '#ffffff',
  '--vscode-list-inactiveSelectionBackground': '#37373d',
  '--vscode-editorError-foreground': '#f14c4c', '--vscode-editorWarning-foreground': '#cca700', '--vscode-editorInfo-foreground': '#3794ff',
  '--vscode-charts-green': '#89d185', '--vscode-charts-purple': '#b180d7', '--vscode-charts-blue': '#3794ff', '--vscode-charts-orange': '#d18616',
  '--vscode-scrollbarSlider-background': 'rgba(121, 121, 121, 0.4)', '--vscode-scrollbarSlider-hoverBackground': 'rgba(100, 100, 100, 0.7)', '--vscode-scrollbarSlider-activeBackground': 'rgba(191, 191, 191, 0.4)',
  '--vscode-scrollbar-shadow': '#000000', '--vscode-progressBar-background': '#0078d4',
  '--vscode-editor-findMatchHighlightBackground': 'rgba(234, 92, 0, 0.33)', '--vscode-textLink-foreground': '#4daafc',
  '--vscode-textCodeBlock-background': '#2b2b2b', '--vscode-inputValidation-errorBackground': '#5a1d1d', '--vscode-inputValidation-errorBorder': '#be1100',
  '--vscode-inputValidation-warningBorder': '#b89500', '--vscode-keybindingTable-headerBackground': 'rgba(204, 204, 204, 0.04)',
  '--vscode-toolbar-hoverBackground': 'rgba(90, 93, 94, 0.31)', '--vscode-panelTitle-activeBorder': '#0078d4', '--vscode-panelTitle-activeForeground': '#cccccc',
  '--vscode-tree-indentGuidesStroke': '#585858', '--vscode-sash-hoverBorder': '#0078d4',
};

const hc: Record<string, string> = {
  ...common,
  '--vscode-foreground': '#ffffff', '--vscode-descriptionForeground': 'rgba(255, 255, 255, 0.7)', '--vscode-disabledForeground': '#a5a5a5',
  '--vscode-errorForeground': '#f48771', '--vscode-focusBorder': '#f38518', '--vscode-editor-background': '#000000', '--vscode-editor-foreground': '#ffffff',
  '--vscode-contrastBorder': '#6fc3df', '--vscode-contrastActiveBorder': '#f38518',
  '--vscode-panel-border': '#6fc3df', '--vscode-editorGroup-border': '#6fc3df',
  '--vscode-button-background': '#000000', '--vscode-button-foreground': '#ffffff', '--vscode-button-border': '#6fc3df',
  '--vscode-button-secondaryBackground': '#000000', '--vscode-button-secondaryForeground': '#ffffff',
  '--vscode-input-background': '#000000', '--vscode-input-foreground': '#ffffff', '--vscode-input-border': '#6fc3df', '--vscode-input-placeholderForeground': 'rgba(255, 255, 255, 0.7)',
  '--vscode-inputOption-activeBackground': 'transparent', '--vscode-inputOption-activeBorder': '#6fc3df', '--vscode-inputOption-activeForeground': '#ffffff',
  '--vscode-dropdown-background': '#000000', '--vscode-dropdown-foreground': '#ffffff', '--vscode-dropdown-border': '#6fc3df',
  '--vscode-list-hoverBackground': 'transparent', '--vscode-list-activeSelectionBackground': 'transparent', '--vscode-list-inactiveSelectionBackground': 'transparent',
  '--vscode-editorError-foreground': '#f48771', '--vscode-editorWarning-foreground': '#ffd370', '--vscode-editorInfo-foreground': '#3794ff',
  '--vscode-charts-green': '#89d185', '--vscode-charts-purple': '#b180d7', '--vscode-charts-blue': '#3794ff', '--vscode-charts-orange': '#d18616',
  '--vscode-scrollbarSlider-background': 'rgba(111, 195, 223, 0.6)', '--vscode-scrollbarSlider-hoverBackground': 'rgba(111, 195, 223, 0.8)', '--vscode-scrollbarSlider-activeBackground': '#6fc3df',
  '--vscode-progressBar-background': '#6fc3df', '--vscode-editor-findMatchHighlightBackground': 'transparent', '--vscode-editor-findMatchHighlightBorder': '#f38518',
  '--vscode-textLink-foreground': '#21a6ff', '--vscode-textCodeBlock-background': '#000000', '--vscode-inputValidation-errorBackground': '#000000',
  '--vscode-inputValidation-errorBorder': '#f48771', '--vscode-inputValidation-warningBorder': '#6fc3df', '--vscode-panelTitle-activeBorder': '#6fc3df',
  '--vscode-panelTitle-activeForeground': '#ffffff', '--vscode-tree-indentGuidesStroke': '#a9a9a9', '--vscode-sash-hoverBorder': '#f38518',
};

export const THEMES: Record<ThemeName, { vars: Record<string, string>; bodyClass: string; kind: string }> = {
  light: { vars: light, bodyClass: 'vscode-light', kind: 'vscode-light' },
  dark: { vars: dark, bodyClass: 'vscode-dark', kind: 'vscode-dark' },
  hc: { vars: hc, bodyClass: 'vscode-high-contrast', kind: 'vscode-high-contrast' },
};
