; Inno Setup 6 script: a per-machine installer for the one-folder Windows build.
;
; Build the folder first on Windows (from the repository root):
;   py -3.11 -m pip install -e . "pyinstaller>=6,<7"
;   py -3.11 -m PyInstaller --noconfirm packaging\asb-desktop.spec
; then compile this script (Inno Setup 6 on PATH):
;   iscc /DAppVersion=0.1.0 packaging\windows\asb-desktop.iss
; Output: dist\asb-desktop-<version>-setup.exe. Silent install for deployment tools:
;   asb-desktop-0.1.0-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
; An organisation preset file can be placed by the installer: put asb-desktop.defaults.json
; beside this script (or pass /DPresetFile=C:\path\asb-desktop.defaults.json) and it is
; installed into C:\ProgramData\ASB Desktop\, where the app looks for it.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef PresetFile
  #define PresetFile AddBackslash(SourcePath) + "asb-desktop.defaults.json"
#endif
#define AppName "ASB Desktop"
#define BuildDir AddBackslash(SourcePath) + "..\..\dist\asb-desktop"

[Setup]
; Keep this AppId for every version: it is how upgrades find the installed copy.
AppId={{6C1F4B7E-3A55-4E0B-9B39-0E7B0C2D5A41}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=ASB Desktop
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#SourcePath}\..\..\dist
OutputBaseFilename=asb-desktop-{#AppVersion}-setup
SetupIconFile={#SourcePath}\..\icons\asb-desktop.ico
UninstallDisplayIcon={app}\asb-desktop.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes
; Sign the installer and uninstaller when SIGNTOOL is configured in the Inno Setup IDE or with
; iscc /Ssigntool="signtool sign /fd sha256 /tr http://timestamp.example /td sha256 /a $f"
; SignTool=signtool

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Files]
Source: "{#BuildDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
#if FileExists(PresetFile)
Source: "{#PresetFile}"; DestDir: "{commonappdata}\{#AppName}"; Flags: ignoreversion
#endif

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\asb-desktop.exe"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\asb-desktop.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Create a desktop shortcut"; Flags: unchecked

[Run]
; IT can check an install by running: "C:\Program Files\ASB Desktop\asb-desktop-cli.exe" self-test
Filename: "{app}\asb-desktop.exe"; Description: "Start {#AppName}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; The officer's encrypted cases live in their own profile (%LOCALAPPDATA%\ASB Desktop) and are
; never removed by uninstalling; only the program folder is.
Type: filesandordirs; Name: "{app}"
