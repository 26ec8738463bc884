/**
 * The device class of a visitor context, and how the server (or a frontend's server) tells it
 * from a User-Agent when the context does not say. Without zod, so that the client's server
 * helpers can use it too.
 */
export const DEVICES = ['mobile', 'tablet', 'desktop', 'other'] as const;
export type Device = (typeof DEVICES)[number];

/** A coarse device class from a User-Agent header, for contexts that do not say. */
export const deviceFromUserAgent = (userAgent: string | undefined): Device => {
  if (!userAgent) return 'other';
  // Only the start matters and a header may be long: bound the work of the regexes.
  const ua = userAgent.length > 512 ? userAgent.slice(0, 512) : userAgent;
  if (/bot\b|crawler|spider|slurp|curl\/|wget\//i.test(ua)) return 'other';
  if (/iPad|Tablet|PlayBook|Silk|Kindle|Android(?!.*Mobile)/i.test(ua)) return 'tablet';
  if (/Mobi|iPhone|iPod|Android|Windows Phone|BlackBerry|Opera Mini/i.test(ua)) return 'mobile';
  if (/Windows NT|Macintosh|X11|Linux x86_64|CrOS/i.test(ua)) return 'desktop';
  return 'other';
};
