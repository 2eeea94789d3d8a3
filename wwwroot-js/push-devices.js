// @ts-check
// The console's Web Push on this browser: registers the push worker with the console's own URL as its scope and
// subscribes through the browser's Push API. The subscription goes to .NET, which checks and stores it; this module
// talks to no server of its own.
// SPDX-License-Identifier: AGPL-3.0-or-later

import { notificationPermission, requestNotificationPermission } from './notifications.js';

/**
 * @typedef {{ endpoint: string, keys: { p256dh: string, auth: string } }} SubscriptionJson
 * @typedef {{ supported: boolean, permission: string, endpoint: string | null }} PushState
 *   supported: this browser can get Web Push here; endpoint: this browser's subscription for the console, if any
 * @typedef {{ outcome: 'subscribed', subscription: SubscriptionJson, reason: string }
 *   | { outcome: 'denied' | 'unsupported' | 'failed', subscription: null, reason: string }} SubscribeResult
 * @typedef {{
 *   state(): Promise<PushState>,
 *   subscribe(applicationServerKey: string): Promise<SubscribeResult>,
 *   unsubscribe(): Promise<boolean>,
 * }} PushHandle
 */

/** How long the worker may take to install and activate. */
const ACTIVATION_TIMEOUT_MS = 15000;

/** @returns {boolean} */
function supported() {
    return window.isSecureContext && 'serviceWorker' in navigator && typeof PushManager !== 'undefined' && typeof Notification !== 'undefined';
}

/**
 * @param {string} text base64url, as the server gives the key
 * @returns {Uint8Array<ArrayBuffer>}
 */
function fromBase64Url(text) {
    const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
    const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
    const bytes = new Uint8Array(new ArrayBuffer(binary.length));
    for (let i = 0; i < binary.length; i++) {
        bytes[i] = binary.charCodeAt(i);
    }

    return bytes;
}

/**
 * @param {ArrayBuffer | null | undefined} key
 * @param {Uint8Array} expected
 */
function sameKey(key, expected) {
    if (!key || key.byteLength !== expected.length) {
        return false;
    }

    const bytes = new Uint8Array(key);
    return bytes.every((b, i) => b === expected[i]);
}

/**
 * Waits until the registration has an active worker: the Push API refuses to subscribe before.
 * @param {ServiceWorkerRegistration} registration
 * @returns {Promise<void>}
 */
function activated(registration) {
    if (registration.active) {
        return Promise.resolve();
    }

    const worker = registration.installing ?? registration.waiting;
    if (!worker) {
        return Promise.reject(new Error('no worker'));
    }

    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('timeout')), ACTIVATION_TIMEOUT_MS);
        const check = () => {
            if (worker.state === 'activated') {
                clearTimeout(timer);
                resolve();
            } else if (worker.state === 'redundant') {
                clearTimeout(timer);
                reject(new Error('redundant'));
            }
        };
        worker.addEventListener('statechange', check);
        check();
    });
}

/** One console page's Web Push: its worker URL and scope, resolved against the document's base. */
class PushDevices {
    /**
     * @param {string} workerUrl relative to the base, under the console's path
     * @param {string} scope relative to the base: the console's path itself
     */
    constructor(workerUrl, scope) {
        this.workerUrl = new URL(workerUrl, document.baseURI).href;
        this.scope = new URL(scope, document.baseURI).href;
    }

    /** @returns {Promise<ServiceWorkerRegistration | undefined>} */
    async registration() {
        const registration = await navigator.serviceWorker.getRegistration(this.scope);
        return registration?.scope === this.scope ? registration : undefined;
    }

    /** @returns {Promise<PushSubscription | null>} */
    async subscription() {
        const registration = await this.registration();
        return (await registration?.pushManager.getSubscription()) ?? null;
    }

    /** @returns {Promise<PushState>} */
    async state() {
        if (!supported()) {
            return { supported: false, permission: notificationPermission(), endpoint: null };
        }

        try {
            return { supported: true, permission: notificationPermission(), endpoint: (await this.subscription())?.endpoint ?? null };
        } catch {
            return { supported: true, permission: notificationPermission(), endpoint: null };
        }
    }

    /**
     * Asks for the notification permission (this runs from the host's click), registers the worker and subscribes,
     * replacing a subscription made with another server key.
     * @param {unknown} applicationServerKey
     * @returns {Promise<SubscribeResult>}
     */
    async subscribe(applicationServerKey) {
        if (!supported() || typeof applicationServerKey !== 'string') {
            return { outcome: 'unsupported', subscription: null, reason: '' };
        }

        const permission = await requestNotificationPermission();
        if (permission !== 'granted') {
            return { outcome: 'denied', subscription: null, reason: permission };
        }

        try {
            const registration = await navigator.serviceWorker.register(this.workerUrl, { scope: this.scope, updateViaCache: 'none' });
            await activated(registration);
            const key = fromBase64Url(applicationServerKey);
            let subscription = await registration.pushManager.getSubscription();
            if (subscription && !sameKey(subscription.options.applicationServerKey, key)) {
                await subscription.unsubscribe();
                subscription = null;
            }

            subscription ??= await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
            const json = subscription.toJSON();
            return {
                outcome: 'subscribed',
                subscription: { endpoint: json.endpoint ?? '', keys: { p256dh: json.keys?.p256dh ?? '', auth: json.keys?.auth ?? '' } },
                reason: '',
            };
        } catch (e) {
            // only the error's name goes back: a message could carry anything
            return { outcome: 'failed', subscription: null, reason: e instanceof Error ? e.name : 'Error' };
        }
    }

    /** @returns {Promise<boolean>} true when this browser had a subscription for the console and dropped it */
    async unsubscribe() {
        if (!supported()) {
            return false;
        }

        try {
            const subscription = await this.subscription();
            return subscription ? await subscription.unsubscribe() : false;
        } catch {
            return false;
        }
    }
}

/**
 * Starts Web Push for one console page.
 * @param {unknown} workerUrl
 * @param {unknown} scope
 * @returns {PushHandle}
 */
export function init(workerUrl, scope) {
    const devices = new PushDevices(String(workerUrl), String(scope));
    return Object.freeze({
        state: () => devices.state(),
        subscribe: (applicationServerKey) => devices.subscribe(applicationServerKey),
        unsubscribe: () => devices.unsubscribe(),
    });
}
