// Whether a child will load our preload (and so takes its channel from DEKA_CHANNEL_FD),
// and how a child's NODE_OPTIONS is made to load it.
import path from 'path';

/** Absolute path of the package's register.js preload. */
export const registerPath = path.resolve(__dirname, '..', 'register.js');

const registerSpecifier = /(^|[\\/])deka-ipc[\\/]register(\.js)?$/;

function namesRegister(value: string): boolean {
  return value === registerPath || registerSpecifier.test(value);
}

/** `--require=<register.js>`, quoted the way NODE_OPTIONS parses quotes. */
export function requireOption(): string {
  const needsQuotes = /[\s"\\]/.test(registerPath);
  const value = needsQuotes ? `"${registerPath.replace(/[\\"]/g, (c) => '\\' + c)}"` : registerPath;
  return `--require=${value}`;
}

export function nodeOptionsLoadRegister(nodeOptions: string | undefined): boolean {
  return typeof nodeOptions === 'string' && nodeOptions.includes(registerPath);
}

/** `-r X`, `--require X`, `--require=X`, `--import X` among the arguments. */
export function argsLoadRegister(args: readonly string[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const arg = String(args[i]);
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    if (flag !== '-r' && flag !== '--require' && flag !== '--import') continue;
    const value = eq === -1 ? String(args[i + 1] ?? '') : arg.slice(eq + 1);
    if (namesRegister(value)) return true;
  }
  return false;
}

/** A Node binary: the one running us, or one named node / nodeNN. */
export function isNodeBinary(file: string): boolean {
  return file === process.execPath || /^node(\d+)?$/.test(path.basename(file));
}
