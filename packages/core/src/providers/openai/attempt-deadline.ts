import type { Deadline } from '../../pipeline/deadline.js';

/** Which configured limit a timed-out attempt ran into, for the error message. */
export type TimeoutSetting = 'timeoutMs' | 'streamIdleTimeoutMs';

/** The signal of one HTTP attempt: the caller's, or the configured limit's, whichever fires first. */
export type AttemptDeadline = Deadline<TimeoutSetting>;
