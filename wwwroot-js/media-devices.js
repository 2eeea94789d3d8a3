// @ts-check
// The camera, microphone and speaker this page uses: the pickers' lists (from enumerateDevices), the choice
// remembered in localStorage for the next call, and the choice handed to the call in progress (webrtc-call.js
// listens). Device ids and labels never leave the page: .NET renders each picker's markup and words once, and this
// module fills it, as call-chat.js fills the chat.
// SPDX-License-Identifier: AGPL-3.0-or-later

/** @typedef {'videoinput' | 'audioinput' | 'audiooutput'} DeviceKind */

/** @type {readonly DeviceKind[]} */
export const KINDS = Object.freeze(['videoinput', 'audioinput', 'audiooutput']);

const STORAGE_KEY = 'webrtcchat.devices';

/** Device ids are opaque strings (Chromium's are 64 hex characters); a longer one is not a device id. */
const MAX_ID_LENGTH = 256;

/** Devices listed per kind, and characters of a label shown. */
const MAX_DEVICES = 32;
const MAX_LABEL_LENGTH = 100;

/** @param {unknown} id @returns {id is string} */
function isDeviceId(id) {
    return typeof id === 'string' && id.length > 0 && id.length <= MAX_ID_LENGTH;
}

/** @param {unknown} kind @returns {kind is DeviceKind} */
function isKind(kind) {
    return typeof kind === 'string' && /** @type {readonly string[]} */ (KINDS).includes(kind);
}

/** Whether this browser can play the other side's sound on a speaker of the page's choosing. */
export function canChooseSpeaker() {
    return typeof HTMLMediaElement !== 'undefined' && typeof HTMLMediaElement.prototype.setSinkId === 'function';
}

/** @returns {Partial<Record<DeviceKind, string>>} */
function readChoices() {
    try {
        const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}');
        /** @type {Partial<Record<DeviceKind, string>>} */
        const choices = {};
        for (const kind of KINDS) {
            if (typeof stored === 'object' && stored !== null && isDeviceId(stored[kind])) {
                choices[kind] = stored[kind];
            }
        }

        return choices;
    } catch {
        return {}; // storage off, or not ours
    }
}

/**
 * The device last chosen of this kind on this site, or null.
 * @param {DeviceKind} kind
 * @returns {string | null}
 */
export function chosenDevice(kind) {
    return readChoices()[kind] ?? null;
}

/**
 * @param {DeviceKind} kind
 * @param {string} deviceId
 */
function rememberDevice(kind, deviceId) {
    try {
        localStorage.setItem(STORAGE_KEY, JSON.stringify({ ...readChoices(), [kind]: deviceId }));
    } catch (e) {
        console.debug('media-devices: the choice could not be kept', e);
    }
}

/** What the call uses now, shown as each list's selection. @type {Record<DeviceKind, string | null>} */
const inUse = { videoinput: null, audioinput: null, audiooutput: null };

/** @type {Set<(kind: DeviceKind, deviceId: string) => void>} */
const listeners = new Set();

/** @type {Set<Picker>} */
const pickers = new Set();

/**
 * Calls the listener with each device the person picks, until the returned function is called.
 * @param {(kind: DeviceKind, deviceId: string) => void} listener
 * @returns {() => void}
 */
export function onChoice(listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
}

/**
 * The call's device of this kind now (null: none), shown in every picker.
 * @param {DeviceKind} kind
 * @param {string | null} deviceId
 */
export function setInUse(kind, deviceId) {
    inUse[kind] = isDeviceId(deviceId) ? deviceId : null;
    pickers.forEach((picker) => picker.showSelection());
}

/**
 * Tells the person, in every picker's status line, what happened to a device: `switched` (the one in use was lost;
 * now `name`), `none` (it was lost and there is no other), `failed` (the one picked could not start).
 * @param {DeviceKind} kind
 * @param {'switched' | 'none' | 'failed'} what
 * @param {string} [name]
 */
export function announce(kind, what, name = '') {
    pickers.forEach((picker) => picker.announce(kind, what, name));
}

/**
 * The devices of each kind the browser lists; without the camera and microphone permission some browsers give
 * one entry per kind with no id, which cannot be chosen.
 * @returns {Promise<MediaDeviceInfo[]>}
 */
export async function listDevices() {
    try {
        return await navigator.mediaDevices.enumerateDevices();
    } catch (e) {
        console.debug('media-devices: the devices could not be listed', e);
        return [];
    }
}

/**
 * A picker inside `root`, markup rendered by DevicePicker.razor: `[data-devices-toggle]` opens `[data-devices-panel]`,
 * which holds a `select[data-device=<kind>]` per kind (the speaker's inside `[data-device-row=audiooutput]`, hidden
 * where setSinkId is missing) and `[data-devices-allow]` (asks for the permission that names the devices);
 * `[data-devices-status]` says what happened. Its words come from the root's data attributes: `data-unnamed-<kind>`
 * ("Camera {0}", a number), `data-<what>-<kind>` ("Now using {0}.", a device's name).
 */
class Picker {
    /** @param {HTMLElement} root */
    constructor(root) {
        this.root = root;
        this.toggle = /** @type {HTMLButtonElement | null} */ (root.querySelector('[data-devices-toggle]'));
        this.panel = /** @type {HTMLElement | null} */ (root.querySelector('[data-devices-panel]'));
        this.allow = /** @type {HTMLButtonElement | null} */ (root.querySelector('[data-devices-allow]'));
        this.status = root.querySelector('[data-devices-status]');
        /** @type {Map<DeviceKind, HTMLSelectElement>} */
        this.selects = new Map();
        for (const kind of KINDS) {
            const select = /** @type {HTMLSelectElement | null} */ (root.querySelector(`select[data-device="${kind}"]`));
            if (select) {
                this.selects.set(kind, select);
            }
        }

        this.closed = false;
        this.onToggle = () => this.setOpen(this.panel?.hidden === true);
        this.onChange = (/** @type {Event} */ event) => {
            const select = /** @type {HTMLSelectElement} */ (event.target);
            const kind = select.dataset.device;
            if (isKind(kind) && isDeviceId(select.value)) {
                rememberDevice(kind, select.value);
                listeners.forEach((listener) => listener(kind, select.value));
            }
        };
        this.onAllow = () => void this.askPermission();
        this.onDeviceChange = () => void this.refresh();
        this.toggle?.addEventListener('click', this.onToggle);
        this.allow?.addEventListener('click', this.onAllow);
        this.selects.forEach((select) => select.addEventListener('change', this.onChange));
        navigator.mediaDevices?.addEventListener?.('devicechange', this.onDeviceChange);
        const speakerRow = /** @type {HTMLElement | null} */ (root.querySelector('[data-device-row="audiooutput"]'));
        if (speakerRow) {
            speakerRow.hidden = !canChooseSpeaker();
        }

        void this.refresh();
    }

    /** @param {boolean} open */
    setOpen(open) {
        if (this.panel) {
            this.panel.hidden = !open;
        }

        this.toggle?.setAttribute('aria-expanded', String(open));
        if (open) {
            void this.refresh();
        }
    }

    /** Fills each list from what the browser lists now. */
    async refresh() {
        const devices = await listDevices();
        if (this.closed) {
            return;
        }

        let nameless = false;
        for (const [kind, select] of this.selects) {
            const ofKind = devices.filter((d) => d.kind === kind && isDeviceId(d.deviceId)).slice(0, MAX_DEVICES);
            nameless ||= devices.some((d) => d.kind === kind && !d.deviceId);
            select.replaceChildren(...ofKind.map((device, index) => {
                const option = document.createElement('option');
                option.value = device.deviceId;
                option.textContent = device.label.slice(0, MAX_LABEL_LENGTH)
                    || (this.root.dataset[dataKey('unnamed', kind)] ?? '{0}').replace('{0}', String(index + 1));
                return option;
            }));
            select.disabled = ofKind.length === 0;
        }

        if (this.allow) {
            this.allow.hidden = !nameless;
        }

        this.showSelection();
    }

    /** Each list shows the device in use, else the one last chosen, else the browser's default. */
    showSelection() {
        for (const [kind, select] of this.selects) {
            const wanted = inUse[kind] ?? chosenDevice(kind);
            if (wanted && [...select.options].some((o) => o.value === wanted)) {
                select.value = wanted;
            }
        }
    }

    /**
     * @param {DeviceKind} kind
     * @param {'switched' | 'none' | 'failed'} what
     * @param {string} name
     */
    announce(kind, what, name) {
        const text = this.root.dataset[dataKey(what, kind)];
        if (this.status && text) {
            this.status.textContent = text.replace('{0}', name.slice(0, MAX_LABEL_LENGTH));
        }
    }

    // The permission is what gives devices their ids and names; the tracks are not needed, and stop at once.
    async askPermission() {
        try {
            const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
            stream.getTracks().forEach((track) => track.stop());
        } catch (e) {
            console.debug('media-devices: no permission to name the devices', e);
        }

        await this.refresh();
    }

    close() {
        this.closed = true;
        this.toggle?.removeEventListener('click', this.onToggle);
        this.allow?.removeEventListener('click', this.onAllow);
        this.selects.forEach((select) => select.removeEventListener('change', this.onChange));
        navigator.mediaDevices?.removeEventListener?.('devicechange', this.onDeviceChange);
    }
}

/**
 * The dataset key of `data-<what>-<kind>`.
 * @param {string} what
 * @param {DeviceKind} kind
 */
function dataKey(what, kind) {
    return what + kind.charAt(0).toUpperCase() + kind.slice(1);
}

/**
 * Fills and follows the picker inside `root`; the handle's detach() lets it go.
 * @param {HTMLElement | null} root
 * @returns {{ detach(): void }}
 */
export function attachPicker(root) {
    if (!root) {
        return { detach() {} };
    }

    const picker = new Picker(root);
    pickers.add(picker);
    return Object.freeze({
        detach() {
            pickers.delete(picker);
            picker.close();
        },
    });
}
