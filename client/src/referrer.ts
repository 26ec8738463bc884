/** The referrer when it is another site's; a link within the site is not where a visit came from. */
export const externalReferrer = (referrer: string, url: string): string | undefined => {
  if (!referrer) return undefined;
  try {
    return new URL(referrer).host === new URL(url, 'http://localhost').host
      ? undefined
      : referrer.slice(0, 2_048);
  } catch {
    return undefined;
  }
};
