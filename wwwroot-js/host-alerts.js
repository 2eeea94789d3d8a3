// @ts-check
// The host console's alerts when visitors wait: a chime, a count in the tab title, a desktop notification.
// SPDX-License-Identifier: AGPL-3.0-or-later

import { notificationPermission, requestNotificationPermission } from './notifications.js';

/**
 * @typedef {'chime' | 'title' | 'notification'} PreferenceName
 * @typedef {{ chime: boolean, title: boolean, notification: boolean }} AlertPreferences
 * @typedef {AlertPreferences & { permission: string }} AlertState permission: 'default', 'granted', 'denied' or 'unsupported'
 * @typedef {{ waitingLabel?: string }} AlertOptions waitingLabel: the word after the count in the title, 'Waiting' by default
 * @typedef {{ invokeMethodAsync(name: string, ...args: any[]): Promise<any> }} DotNetRef Blazor's DotNetObjectReference on the JS side
 * @typedef {{
 *   update(waitingCount: number, newArrivals: number): void,
 *   setPreference(name: PreferenceName, enabled: boolean): AlertState,
 *   preferences(): AlertState,
 *   requestNotificationPermission(): Promise<string>,
 *   stop(): void,
 * }} AlertsHandle
 */

const STORAGE_KEY = 'webrtcchat.alerts';

/** @type {Readonly<AlertPreferences>} */
const DEFAULTS = Object.freeze({ chime: true, title: true, notification: false });

/** A burst of arrivals, or a console that reconnects, should not ring like an alarm. */
const MIN_CHIME_INTERVAL_MS = 1500;

/** @returns {AlertPreferences} */
function loadPreferences() {
    /** @type {unknown} */
    let stored = null;
    try {
        // reading localStorage itself throws when the browser blocks site storage
        stored = JSON.parse(window.localStorage.getItem(STORAGE_KEY) ?? 'null');
    } catch {
        // unavailable or garbage: the defaults do
    }

    const record = typeof stored === 'object' && stored !== null ? /** @type {Record<string, unknown>} */ (stored) : {};
    /** @param {PreferenceName} name */
    const pick = (name) => (typeof record[name] === 'boolean' ? /** @type {boolean} */ (record[name]) : DEFAULTS[name]);
    return { chime: pick('chime'), title: pick('title'), notification: pick('notification') };
}

/** @param {AlertPreferences} preferences */
function savePreferences(preferences) {
    try {
        window.localStorage.setItem(STORAGE_KEY, JSON.stringify(preferences));
    } catch {
        // private mode or full: the choice lasts as long as the page
    }
}

/**
 * @param {unknown} value
 * @returns {number}
 */
function toCount(value) {
    return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

/**
 * Two short rising tones, made here so there is no sound file to serve.
 * @param {AudioContext} context
 */
function playChime(context) {
    const start = context.currentTime;
    for (const [frequency, offset] of [[880, 0], [1318.5, 0.2]]) {
        const oscillator = context.createOscillator();
        const gain = context.createGain();
        const at = start + offset;
        oscillator.type = 'sine';
        oscillator.frequency.value = frequency;
        // exponential ramps cannot reach 0, and a hard start or stop clicks
        gain.gain.setValueAtTime(0.0001, at);
        gain.gain.exponentialRampToValueAtTime(0.25, at + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.19);
        oscillator.connect(gain).connect(context.destination);
        oscillator.onended = () => gain.disconnect();
        oscillator.start(at);
        oscillator.stop(at + 0.2);
    }
}

/** One console page's alerts: the title it restores, the host's choices, and the audio made on the first chime. */
class Alerts {
    /**
     * @param {string} waitingLabel
     * @param {DotNetRef | null} visibility told whether the page is visible, now and on every change
     */
    constructor(waitingLabel, visibility) {
        this.waitingLabel = waitingLabel;
        this.visibility = visibility;
        // The server holds the host's phone alerts back while a console of theirs is visible: it chimes by itself.
        this.onVisibilityChange = () => this.reportVisibility();
        this.originalTitle = document.title;
        this.preferences = loadPreferences();
        this.waiting = 0;
        this.stopped = false;
        this.lastChime = -Infinity;
        /** @type {AudioContext | null} */
        this.audio = null;
    }

    reportVisibility() {
        if (this.stopped || !this.visibility) {
            return;
        }

        this.visibility.invokeMethodAsync('OnVisibilityChanged', document.visibilityState === 'visible').catch((e) => {
            console.debug('host-alerts: visibility not reported', e);
        });
    }

    showTitle() {
        document.title = this.preferences.title && this.waiting > 0 ? `(${this.waiting}) ${this.waitingLabel}` : this.originalTitle;
    }

    async chime() {
        const now = performance.now();
        if (now - this.lastChime < MIN_CHIME_INTERVAL_MS) {
            return;
        }

        this.lastChime = now;
        try {
            // created late because browsers keep an AudioContext made before any click suspended
            this.audio ??= new AudioContext();
            await this.audio.resume();
            if (this.audio.state === 'running' && !this.stopped) {
                playChime(this.audio);
            }
        } catch (e) {
            console.debug('host-alerts: no chime', e);
        }
    }

    notifyDesktop() {
        if (notificationPermission() !== 'granted') {
            return;
        }

        try {
            // only a count: a notification can be read on a locked screen
            const notification = new Notification('Someone is waiting', {
                body: this.waiting === 1 ? '1 visitor is waiting.' : `${this.waiting} visitors are waiting.`,
                tag: 'webrtcchat-waiting',
            });
            notification.onclick = () => {
                window.focus();
                notification.close();
            };
        } catch (e) {
            // Chrome on Android allows notifications only from a service worker
            console.debug('host-alerts: no notification', e);
        }
    }

    /** @returns {AlertState} */
    state() {
        return { ...this.preferences, permission: notificationPermission() };
    }

    /**
     * @param {unknown} waitingCount
     * @param {unknown} newArrivals
     */
    update(waitingCount, newArrivals) {
        if (this.stopped) {
            return;
        }

        this.waiting = toCount(waitingCount);
        this.showTitle();
        if (toCount(newArrivals) > 0) {
            if (this.preferences.chime) {
                void this.chime();
            }

            if (this.preferences.notification) {
                this.notifyDesktop();
            }
        }
    }

    /**
     * @param {unknown} name
     * @param {unknown} enabled
     * @returns {AlertState}
     */
    setPreference(name, enabled) {
        if (!this.stopped && (name === 'chime' || name === 'title' || name === 'notification')) {
            this.preferences[name] = enabled === true;
            savePreferences(this.preferences);
            this.showTitle();
        }

        return this.state();
    }

    stop() {
        if (this.stopped) {
            return;
        }

        this.stopped = true;
        document.removeEventListener('visibilitychange', this.onVisibilityChange);
        document.title = this.originalTitle;
        this.audio?.close().catch(() => undefined);
        this.audio = null;
    }
}

/**
 * Starts the alerts for one console page. The title seen now is the one restored when nobody waits.
 * @param {AlertOptions} [options]
 * @param {DotNetRef} [visibility] told at once, and on every change, whether the page is visible
 * @returns {AlertsHandle}
 */
export function init(options, visibility) {
    const alerts = new Alerts(typeof options?.waitingLabel === 'string' && options.waitingLabel ? options.waitingLabel : 'Waiting', visibility ?? null);
    document.addEventListener('visibilitychange', alerts.onVisibilityChange);
    alerts.reportVisibility();
    return Object.freeze({
        update: (waitingCount, newArrivals) => alerts.update(waitingCount, newArrivals),
        setPreference: (name, enabled) => alerts.setPreference(name, enabled),
        preferences: () => alerts.state(),
        requestNotificationPermission,
        stop: () => alerts.stop(),
    });
}
