// @ts-check
// The visitor page's ring while a host calls: a tone, the tab title flashing, a vibration on phones, and a system
// notification when the visitor allowed them. It only rings: answering, and everything else, goes through .NET.
// SPDX-License-Identifier: AGPL-3.0-or-later

import { notificationPermission, requestNotificationPermission } from './notifications.js';

/**
 * @typedef {{
 *   start(maxSeconds: number): void,
 *   stop(): void,
 *   permission(): string,
 *   requestNotificationPermission(): Promise<string>,
 *   dispose(): void,
 * }} RingHandle permission: 'default', 'granted', 'denied' or 'unsupported'
 */

/**
 * The ring's words, in the page's language, from .NET.
 * @typedef {{ title: string, notificationTitle: string, notificationBody: string }} RingWords
 */

/** @type {RingWords} */
const ENGLISH = { title: '📞 Incoming call', notificationTitle: 'Incoming video call', notificationBody: 'Open the chat page to answer.' };

/** @param {unknown} value @param {string} fallback a short plain string from .NET, or the fallback */
function word(value, fallback) {
    return typeof value === 'string' && value.length > 0 && value.length <= 200 ? value : fallback;
}

/** One ring: two bursts, then a pause, as a telephone does. */
const CYCLE_MS = 3000;

/** The title flips between the page's own and the ring's at this pace. */
const FLASH_MS = 1000;

/** However long .NET asks for, a ring never lasts longer than this. */
const MAX_RING_SECONDS = 300;

/** Vibration: on, off, on (milliseconds), once per cycle. */
const VIBRATION = [400, 200, 400];

/** The handles ringing now, for isRinging(). */
/** @type {Set<Ring>} */
const ringing = new Set();

/**
 * One cycle of the tone: two bursts of two mixed tones (400 and 450 Hz, the British ring), made here so there is no
 * sound file to serve.
 * @param {AudioContext} context
 * @param {AudioNode} output
 */
function playCycle(context, output) {
    const start = context.currentTime + 0.05;
    for (const offset of [0, 0.6]) {
        const gain = context.createGain();
        const at = start + offset;
        // exponential ramps cannot reach 0, and a hard start or stop clicks
        gain.gain.setValueAtTime(0.0001, at);
        gain.gain.exponentialRampToValueAtTime(0.2, at + 0.03);
        gain.gain.setValueAtTime(0.2, at + 0.37);
        gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.4);
        gain.connect(output);
        for (const frequency of [400, 450]) {
            const oscillator = context.createOscillator();
            oscillator.type = 'sine';
            oscillator.frequency.value = frequency;
            oscillator.connect(gain);
            oscillator.onended = () => oscillator.disconnect();
            oscillator.start(at);
            oscillator.stop(at + 0.41);
        }
    }
}

/** @param {boolean} on the cycle's pattern, or stop any vibration */
function vibrate(on) {
    try {
        // not in every browser (Safari has none), and refused without a user's gesture on the page
        if (typeof navigator.vibrate === 'function') {
            navigator.vibrate(on ? VIBRATION : 0);
        }
    } catch {
        // nothing to do: the tone and the title still ring
    }
}

/** One visitor page's ring. */
class Ring {
    /** @param {RingWords} words */
    constructor(words) {
        this.words = words;
        this.disposed = false;
        this.originalTitle = document.title;
        /** @type {AudioContext | null} */
        this.audio = null;
        /** @type {GainNode | null} this ring's tones go through it: disconnected, what is still scheduled is silent */
        this.output = null;
        /** @type {Notification | null} */
        this.notification = null;
        /** @type {number[]} */
        this.timers = [];
        this.unlock = () => this.unlockAudio();
        // Safari lets a page make sound only from an AudioContext first resumed during a gesture: the visitor's
        // first click or key here (Request chat) is that gesture. Chromium and Firefox remember any gesture.
        document.addEventListener('pointerdown', this.unlock, { capture: true, once: true });
        document.addEventListener('keydown', this.unlock, { capture: true, once: true });
    }

    get isRinging() {
        return ringing.has(this);
    }

    unlockAudio() {
        this.removeUnlock();
        if (this.disposed) {
            return;
        }

        try {
            this.audio ??= new AudioContext();
            const audio = this.audio;
            audio.resume().then(() => (this.isRinging ? undefined : audio.suspend())).catch(() => undefined);
        } catch (e) {
            console.debug('ring: no audio', e);
        }
    }

    removeUnlock() {
        document.removeEventListener('pointerdown', this.unlock, { capture: true });
        document.removeEventListener('keydown', this.unlock, { capture: true });
    }

    async sound() {
        try {
            this.audio ??= new AudioContext();
            await this.audio.resume();
            if (this.audio.state === 'running' && this.isRinging) {
                if (!this.output) {
                    this.output = this.audio.createGain();
                    this.output.connect(this.audio.destination);
                }

                playCycle(this.audio, this.output);
            }
        } catch (e) {
            console.debug('ring: no tone', e);
        }
    }

    notify() {
        if (notificationPermission() !== 'granted') {
            return;
        }

        try {
            // no name: a notification can be read on a locked screen
            const notification = new Notification(this.words.notificationTitle, {
                body: this.words.notificationBody,
                tag: 'webrtcchat-call',
                requireInteraction: true,
            });
            notification.onclick = () => {
                window.focus();
                notification.close();
            };
            this.notification = notification;
        } catch (e) {
            // Chrome on Android allows notifications only from a service worker
            console.debug('ring: no notification', e);
        }
    }

    /** @param {unknown} maxSeconds a ring .NET forgets to stop (its circuit gone) stops by itself after this */
    start(maxSeconds) {
        if (this.disposed || this.isRinging) {
            return;
        }

        ringing.add(this);
        this.originalTitle = document.title;
        const cycle = () => {
            void this.sound();
            vibrate(true);
        };
        cycle();
        this.timers.push(window.setInterval(cycle, CYCLE_MS));
        this.timers.push(window.setInterval(() => {
            document.title = document.title === this.words.title ? this.originalTitle : this.words.title;
        }, FLASH_MS));
        document.title = this.words.title;
        const limit = typeof maxSeconds === 'number' && Number.isFinite(maxSeconds) && maxSeconds > 0 ? Math.min(maxSeconds, MAX_RING_SECONDS) : 60;
        this.timers.push(window.setTimeout(() => this.stop(), limit * 1000));
        this.notify();
    }

    stop() {
        if (!this.isRinging) {
            return;
        }

        ringing.delete(this);
        for (const timer of this.timers) {
            window.clearInterval(timer); // clears timeouts too: they share one pool of ids
        }

        this.timers = [];
        document.title = this.originalTitle;
        vibrate(false);
        this.notification?.close();
        this.notification = null;
        // What is scheduled of the tone goes silent. The context is kept, suspended, for the next ring: on Safari a
        // new one would not be allowed to sound.
        this.output?.disconnect();
        this.output = null;
        this.audio?.suspend().catch(() => undefined);
    }

    dispose() {
        this.stop();
        this.disposed = true;
        this.removeUnlock();
        this.audio?.close().catch(() => undefined);
        this.audio = null;
    }
}

/**
 * Prepares the ring of one visitor page. Nothing sounds, and nothing is asked, until .NET says so.
 * @param {Partial<RingWords> | null | undefined} words the title and notification, in the page's language
 * @returns {RingHandle}
 */
export function init(words) {
    const ring = new Ring({
        title: word(words?.title, ENGLISH.title),
        notificationTitle: word(words?.notificationTitle, ENGLISH.notificationTitle),
        notificationBody: word(words?.notificationBody, ENGLISH.notificationBody),
    });
    return Object.freeze({
        start: (maxSeconds) => ring.start(maxSeconds),
        stop: () => ring.stop(),
        permission: notificationPermission,
        requestNotificationPermission,
        dispose: () => ring.dispose(),
    });
}

/**
 * Whether a ring of this page is on now (for the browser tests).
 * @returns {boolean}
 */
export function isRinging() {
    return ringing.size > 0;
}
