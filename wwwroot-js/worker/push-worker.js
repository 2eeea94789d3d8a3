// @ts-check
// The console's service worker: shows a host's Web Push alert as a notification, and opens or focuses the console
// when it is clicked. Its scope is the console's URL, so it never needs to be told the secret path. It has no fetch
// handler: the console's pages and circuit go to the network as if it were not there.
// SPDX-License-Identifier: AGPL-3.0-or-later

const worker = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));

/** @typedef {{ title: string, body: string, tag: string, url: string | null }} AlertPayload */

/**
 * @param {unknown} value
 * @param {string} fallback
 * @param {number} max
 * @returns {string}
 */
function text(value, fallback, max) {
    return typeof value === 'string' && value.length > 0 ? value.slice(0, max) : fallback;
}

/**
 * The alert the server encrypted for this browser; anything missing or odd becomes a plain "someone is waiting".
 * @param {PushMessageData | null} data
 * @returns {AlertPayload}
 */
function read(data) {
    /** @type {unknown} */
    let value = null;
    try {
        value = data?.json();
    } catch {
        // not JSON: the defaults do
    }

    const record = typeof value === 'object' && value !== null ? /** @type {Record<string, unknown>} */ (value) : {};
    return {
        title: text(record.title, 'Someone is waiting', 200),
        body: text(record.body, '', 1000),
        tag: text(record.tag, 'webrtcchat', 100),
        url: typeof record.url === 'string' ? record.url : null,
    };
}

/**
 * Where a click goes: the alert's link when it is on this origin, else the worker's scope, which is the console.
 * @param {string | null} url
 * @returns {string}
 */
function target(url) {
    try {
        if (url && new URL(url).origin === worker.location.origin) {
            return url;
        }
    } catch {
        // not a URL
    }

    return worker.registration.scope;
}

/** @param {string} url */
async function openConsole(url) {
    const console = new URL(target(url));
    const windows = await worker.clients.matchAll({ type: 'window', includeUncontrolled: true });
    const open = windows.find((w) => {
        const at = new URL(w.url);
        return at.origin === console.origin && at.pathname === console.pathname;
    });
    if (open) {
        await open.focus();
        return;
    }

    await worker.clients.openWindow(console.href);
}

worker.addEventListener('install', () => {
    void worker.skipWaiting();
});

worker.addEventListener('activate', (event) => {
    event.waitUntil(worker.clients.claim());
});

worker.addEventListener('push', (event) => {
    const alert = read(event.data);
    /** @type {NotificationOptions & { renotify?: boolean }} */
    const options = { body: alert.body, tag: alert.tag, renotify: true, data: { url: alert.url } };
    event.waitUntil(worker.registration.showNotification(alert.title, options));
});

worker.addEventListener('notificationclick', (event) => {
    event.notification.close();
    const data = /** @type {{ url?: unknown } | null} */ (event.notification.data);
    event.waitUntil(openConsole(typeof data?.url === 'string' ? data.url : ''));
});
