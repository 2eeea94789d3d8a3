// @ts-check
// The browser's notification permission, as both the console's alerts and the visitor's ring ask and read it.
// SPDX-License-Identifier: AGPL-3.0-or-later

/** @returns {string} 'default', 'granted', 'denied' or 'unsupported' */
export function notificationPermission() {
    return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/**
 * Asks for the permission (only ever from a click: browsers refuse an unprompted ask) and returns the answer.
 * @returns {Promise<string>}
 */
export async function requestNotificationPermission() {
    if (typeof Notification === 'undefined') {
        return 'unsupported';
    }

    try {
        return await Notification.requestPermission();
    } catch {
        return Notification.permission;
    }
}
