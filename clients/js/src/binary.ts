import { constants, accessSync, statSync } from 'node:fs';
import path from 'node:path';
import { HearsayStartError } from './errors';

/** The platforms Hearsay is published for: the RIDs `eng/publish.sh` takes. */
export type HearsayRid = 'linux-x64' | 'linux-arm64' | 'win-x64' | 'win-arm64' | 'osx-arm64';

/** Node's `${process.platform}-${process.arch}` for each published RID. */
const ridsByNodePlatform: Readonly<Record<string, HearsayRid>> = {
  'linux-x64': 'linux-x64',
  'linux-arm64': 'linux-arm64',
  'win32-x64': 'win-x64',
  'win32-arm64': 'win-arm64',
  'darwin-arm64': 'osx-arm64',
};

/** Every published RID, with the Node platform and architecture it serves. */
export const supportedPlatforms: ReadonlyArray<{ platform: NodeJS.Platform; arch: string; rid: HearsayRid }> = Object.entries(
  ridsByNodePlatform,
).map(([key, rid]) => {
  const [platform, arch] = key.split('-') as [NodeJS.Platform, string];
  return { platform, arch, rid };
});

/**
 * The RID of Hearsay's build for a Node platform and architecture (default: this process's).
 * @throws {HearsayStartError} `unsupported-platform` when there is no such build (darwin-x64, 32-bit, …).
 */
export function hearsayRid(platform: string = process.platform, arch: string = process.arch): HearsayRid {
  const rid = ridsByNodePlatform[`${platform}-${arch}`];
  if (rid) {
    return rid;
  }
  const supported = supportedPlatforms.map((p) => `${p.platform}-${p.arch}`).join(', ');
  const hint =
    platform === 'darwin' && arch === 'x64'
      ? ' Hearsay is built for Apple silicon only (osx-arm64): an Intel Mac cannot run it, so build the Mac app for arm64 only or ship it without voice features.'
      : ` Builds exist for ${supported}; ship this app without voice features on ${platform}-${arch}.`;
  throw new HearsayStartError('unsupported-platform', `There is no Hearsay build for ${platform}-${arch}.${hint}`);
}

/** The binary's file name on a platform. */
export function hearsayExecutableName(platform: string = process.platform): string {
  return platform === 'win32' ? 'hearsay.exe' : 'hearsay';
}

/**
 * Rewrites a path inside an `app.asar` archive to the same path in `app.asar.unpacked`: Electron reads files from
 * inside the archive, but the operating system cannot execute a program that lives in one.
 */
export function asarUnpackedPath(file: string): string {
  return file.replace(/([\\/])app\.asar(?=[\\/]|$)/, '$1app.asar.unpacked');
}

/** Where the bundled binary sits under an app's resources: the `to` of its electron-builder `extraResources`. */
export function bundledBinaryRelativePath(platform: string = process.platform, arch: string = process.arch): string {
  hearsayRid(platform, arch);
  return `hearsay/${platform}-${arch}/${hearsayExecutableName(platform)}`;
}

/** Options of {@link resolveHearsayBinary}. */
export interface ResolveBinaryOptions {
  /** Use this binary instead of the bundled one (still rewritten out of an asar archive). */
  binaryPath?: string | undefined;
  /** The app's resources folder; default Electron's `process.resourcesPath`. */
  resourcesPath?: string | undefined;
  /** Default `process.platform`. */
  platform?: string | undefined;
  /** Default `process.arch`. */
  arch?: string | undefined;
}

/**
 * The binary to start: `binaryPath` when given, else `<resourcesPath>/hearsay/<platform>-<arch>/hearsay[.exe]`,
 * moved out of `app.asar` into `app.asar.unpacked`, and checked to exist and be executable.
 * @throws {HearsayStartError} `unsupported-platform`, `binary-not-found` or `not-executable`, saying what to do.
 */
export function resolveHearsayBinary(options: ResolveBinaryOptions = {}): string {
  const platform = options.platform ?? process.platform;
  const arch = options.arch ?? process.arch;
  let binary: string;
  if (options.binaryPath) {
    binary = asarUnpackedPath(options.binaryPath);
  } else {
    const rid = hearsayRid(platform, arch);
    const resources = options.resourcesPath ?? electronResourcesPath();
    if (!resources) {
      throw new HearsayStartError(
        'binary-not-found',
        "Cannot find Hearsay's bundled binary: process.resourcesPath is not set (this is not an Electron main process). " +
          `Pass binaryPath (the output of 'eng/publish.sh ${rid}') or resourcesPath.`,
      );
    }
    // Built the way the target platform spells paths, so that this is testable for every platform on any machine.
    binary = asarUnpackedPath(pathFor(platform).join(resources, ...bundledBinaryRelativePath(platform, arch).split('/')));
  }
  checkExecutable(binary, platform, arch, options.binaryPath !== undefined && options.binaryPath !== '');
  return binary;
}

function electronResourcesPath(): string | undefined {
  return (process as { resourcesPath?: string }).resourcesPath;
}

function checkExecutable(binary: string, platform: string, arch: string, given: boolean): void {
  const rid = ridsByNodePlatform[`${platform}-${arch}`] ?? `${platform}-${arch}`;
  let isFile = false;
  try {
    isFile = statSync(binary).isFile();
  } catch {
    // Missing: reported below.
  }
  if (!isFile) {
    const fix = given
      ? `Check binaryPath; 'eng/publish.sh ${rid}' writes the binary to artifacts/publish/${rid}/.`
      : `Bundle it: run 'eng/publish.sh ${rid}' and add electron-builder extraResources from artifacts/publish/${rid}/ ` +
        `to ${path.posix.dirname(bundledBinaryRelativePath(platform, arch))}/ (see examples/electron), or pass binaryPath.`;
    throw new HearsayStartError('binary-not-found', `Hearsay's binary is not at ${binary}. ${fix}`, { binaryPath: binary });
  }
  if (platform !== 'win32') {
    try {
      accessSync(binary, constants.X_OK);
    } catch (error) {
      throw new HearsayStartError(
        'not-executable',
        `Hearsay's binary at ${binary} is not executable. Make it so (chmod +x) before packaging: electron-builder keeps the file mode of extraResources.`,
        { binaryPath: binary, cause: error },
      );
    }
  }
}

function pathFor(platform: string): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix;
}
