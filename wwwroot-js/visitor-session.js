// @ts-check
// Keeps the visitor's resume token for this tab, so a reload returns to the same place in the queue.
// SPDX-License-Identifier: AGPL-3.0-or-later

// sessionStorage, not localStorage: the token should die with the tab, and a second tab is a second visitor.
const STORAGE_KEY = 'webrtcchat.visitor';

/** Far above a real token; anything longer was not written by this app and is not worth a round trip. */
const MAX_TOKEN_LENGTH = 1024;

/**
 * The saved token, or null when there is none or storage is unavailable.
 * @returns {string | null}
 */
export function load() {
    try {
        const token = window.sessionStorage.getItem(STORAGE_KEY);
        return token && token.length <= MAX_TOKEN_LENGTH ? token : null;
    } catch {
        // reading sessionStorage throws when the browser blocks site storage
        return null;
    }
}

/**
 * Saves the token, or forgets it when null.
 * @param {string | null} token
 * @returns {void}
 */
export function save(token) {
    try {
        if (typeof token === 'string' && token) {
            window.sessionStorage.setItem(STORAGE_KEY, token);
        } else {
            window.sessionStorage.removeItem(STORAGE_KEY);
        }
    } catch {
        // without storage a reload simply starts over
    }
}
