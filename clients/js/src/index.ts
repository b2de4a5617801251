// @hearsay/electron-kit: runs Hearsay, the offline speech sidecar, from an Electron main process, and talks to it.
export { startHearsay, Hearsay } from './hearsay';
export type { StartHearsayOptions, RestartPolicy, HearsayEvents, ExitEvent, RestartingEvent, RestartedEvent } from './hearsay';
export { HearsayClient } from './client';
export { Dictation } from './dictation';
export type { DictateOptions, DictationSocket } from './dictation';
export type * from './realtime-events';
export type { AudioInput, TranscribeOptions, SpeakOptions, DownloadOptions, WaitUntilReadyOptions, Connection } from './client';
export type { ExitInfo } from './sidecar-process';
export {
  resolveHearsayBinary,
  hearsayRid,
  hearsayExecutableName,
  bundledBinaryRelativePath,
  asarUnpackedPath,
  supportedPlatforms,
} from './binary';
export type { HearsayRid, ResolveBinaryOptions } from './binary';
export {
  HearsayError,
  HearsayStartError,
  HearsayApiError,
  HearsayUnavailableError,
  HearsayNotReadyError,
  HearsayDownloadError,
  HearsayStoppedError,
  HearsayCrashedError,
  HearsayConnectionError,
} from './errors';
export type { StartFailure } from './errors';
export { readServerSentEvents } from './sse';
export type { ServerSentEvent } from './sse';
export type * from './wire';
