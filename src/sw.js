// OAuth Doctor's service worker, written into the build by `oauth-doctor site`.
// It caches the app shell when first installed and every same-origin page and file
// as it is fetched, so the page, its examples and the knowledge base work with the
// network off. VERSION comes from the build's hashed file names: a new deploy is a
// new worker, which deletes the old cache when it takes over. Requests to other
// origins (the discovery probe) are never touched, and neither are the probe's own
// same-origin fetches: only documents and the shell's files are served from here.
const VERSION = "__VERSION__";
const CACHE = `oauth-doctor-${VERSION}`;
const SHELL = __SHELL__;
const shellUrls = new Set(SHELL.map((p) => new URL(p, self.location).href));

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(keys.filter((k) => k.startsWith("oauth-doctor-") && k !== CACHE).map((k) => caches.delete(k))),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  const isPage = request.mode === "navigate";
  const isShell = shellUrls.has(url.href);
  const isAsset = ["script", "style", "image", "font"].includes(request.destination);
  if (!isPage && !isShell && !isAsset) return;
  event.respondWith(isPage ? networkFirst(request) : cacheFirst(request));
});

// Pages: the network when it answers (a deploy shows at once), the cache when not.
async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) cache.put(request, response.clone());
    return response;
  } catch {
    const cached = (await cache.match(request, { ignoreSearch: true })) ?? (await cache.match(new URL("404.html", self.location).href));
    return cached ?? new Response("Offline, and this page was not visited before.", { status: 503 });
  }
}

// The shell's files carry their content hash in their names: the cache is right.
async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) cache.put(request, response.clone());
  return response;
}
