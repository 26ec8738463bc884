/** What the admin sets on `window` at start-up: the Strapi server it talks to. */
interface StrapiWindow {
  strapi?: { backendURL?: string };
}

/**
 * A URL of the Strapi server as the admin may open it: a path (`/uploads/…`, a `previewUrl` on
 * Strapi's own server) is prefixed with the server's URL, as the upload plugin does, since the
 * admin may be served from another origin; an absolute URL stays as it is.
 */
export const onBackend = (url: string) =>
  url.startsWith('/') && !url.startsWith('//')
    ? `${(window as StrapiWindow).strapi?.backendURL ?? ''}${url}`
    : url;
