// fixture service worker
