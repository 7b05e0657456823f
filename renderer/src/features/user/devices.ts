// A user agent in a few words ("Chrome 131 on Windows", "Acme Mobile 4.2 on iOS 18.1"): what a support agent reads
// aloud to the user on the phone. The whole string stays in the row's tooltip.

const OS: [RegExp, (m: RegExpExecArray) => string][] = [
  [/iPhone; iOS ([\d.]+)/, (m) => `iOS ${m[1]}`],
  [/\b(?:iPhone|iPad).*? OS ([\d_]+)/, (m) => `iOS ${m[1]!.replace(/_/g, '.')}`],
  [/Android ([\d.]+)(?:; ([^;)]+))?/, (m) => `Android ${m[1]}${m[2] ? ` (${m[2].trim()})` : ''}`],
  [/Windows NT 10/, () => 'Windows'],
  [/Windows NT ([\d.]+)/, (m) => `Windows NT ${m[1]}`],
  [/Mac OS X ([\d_.]+)/, (m) => `macOS ${m[1]!.replace(/_/g, '.')}`],
  [/CrOS/, () => 'ChromeOS'],
  [/Linux/, () => 'Linux'],
];

const APP: [RegExp, (m: RegExpExecArray) => string][] = [
  [/Edg\/(\d+)/, (m) => `Edge ${m[1]}`],
  [/OPR\/(\d+)/, (m) => `Opera ${m[1]}`],
  [/Firefox\/(\d+)/, (m) => `Firefox ${m[1]}`],
  [/Chrome\/(\d+)/, (m) => `Chrome ${m[1]}`],
  [/Version\/([\d.]+).*Safari/, (m) => `Safari ${m[1]}`],
  // A native app names itself first: "AcmeMobile/4.2 (…)".
  [/^([A-Za-z][\w-]*)\/([\d.]+)/, (m) => `${m[1]!.replace(/([a-z])([A-Z])/g, '$1 $2')} ${m[2]}`],
];

export function deviceWords(ua: string | undefined): string {
  if (!ua) return 'Unknown device';
  const app = APP.map(([re, f]) => {
    const m = re.exec(ua);
    return m ? f(m) : null;
  }).find(Boolean);
  const os = OS.map(([re, f]) => {
    const m = re.exec(ua);
    return m ? f(m) : null;
  }).find(Boolean);
  if (app && os) return `${app} on ${os}`;
  return app ?? os ?? (ua.length > 40 ? `${ua.slice(0, 40)}…` : ua);
}
