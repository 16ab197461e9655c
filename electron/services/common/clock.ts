/** The wall clock services read (epoch milliseconds); tests inject a fake one to drive timeouts and offline marking. */
export type Clock = () => number;

/** The real clock. */
export const systemClock: Clock = () => Date.now();
