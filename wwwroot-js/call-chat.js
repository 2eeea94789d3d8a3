// @ts-check
// Text chat during a call, over the call's own RTCDataChannel: the messages go from browser to browser, never
// through the server, and live only in the two pages. Rendered here, as text, so that not even the page's own
// circuit sees them.
// SPDX-License-Identifier: AGPL-3.0-or-later

/** The longest message, in characters; longer input is cut, longer received text is cut too. */
export const MAX_MESSAGE_LENGTH = 1000;

/** Messages kept on the page; older ones go. */
const MAX_HISTORY = 500;

/**
 * The chat panel inside `root`: `[data-chat-log]` (the messages), `[data-chat-form]` with `[data-chat-input]`,
 * `[data-chat-toggle]` (opens and closes the panel; its `data-label` and `data-label-unread` are its names, in the
 * page's language) and `[data-chat-unread]` (the count while it is closed).
 */
export class Chat {
    /**
     * @param {RTCDataChannel} channel
     * @param {HTMLElement | null} root
     */
    constructor(channel, root) {
        this.channel = channel;
        this.root = root;
        this.unread = 0;
        this.log = root?.querySelector('[data-chat-log]') ?? null;
        this.form = /** @type {HTMLFormElement | null} */ (root?.querySelector('[data-chat-form]') ?? null);
        this.input = /** @type {HTMLInputElement | null} */ (root?.querySelector('[data-chat-input]') ?? null);
        this.toggle = /** @type {HTMLButtonElement | null} */ (root?.querySelector('[data-chat-toggle]') ?? null);
        this.badge = root?.querySelector('[data-chat-unread]') ?? null;
        this.panel = /** @type {HTMLElement | null} */ (root?.querySelector('[data-chat-panel]') ?? null);
        this.onSubmit = (/** @type {SubmitEvent} */ event) => {
            event.preventDefault();
            this.send();
        };
        this.onToggle = () => this.setOpen(!this.isOpen());
        this.form?.addEventListener('submit', this.onSubmit);
        this.toggle?.addEventListener('click', this.onToggle);
        if (this.input) {
            this.input.maxLength = MAX_MESSAGE_LENGTH;
        }

        channel.onmessage = (event) => {
            if (typeof event.data === 'string') {
                this.show(event.data.slice(0, MAX_MESSAGE_LENGTH), 'theirs');
            }
        };
        channel.onopen = channel.onclose = () => this.updateSendable();
        this.updateSendable();
    }

    isOpen() {
        return this.panel ? !this.panel.hidden : false;
    }

    /** @param {boolean} open */
    setOpen(open) {
        if (this.panel) {
            this.panel.hidden = !open;
        }

        this.toggle?.setAttribute('aria-expanded', String(open));
        if (open) {
            this.unread = 0;
            this.input?.focus();
        }

        this.updateBadge();
    }

    send() {
        const text = (this.input?.value ?? '').trim().slice(0, MAX_MESSAGE_LENGTH);
        if (!text || this.channel.readyState !== 'open') {
            return;
        }

        this.channel.send(text);
        this.show(text, 'mine');
        if (this.input) {
            this.input.value = '';
        }
    }

    /**
     * @param {string} text
     * @param {'mine' | 'theirs'} who
     */
    show(text, who) {
        if (!this.log) {
            return;
        }

        const item = document.createElement('li');
        item.className = who;
        item.textContent = text; // text, never markup
        this.log.append(item);
        while (this.log.childElementCount > MAX_HISTORY) {
            this.log.firstElementChild?.remove();
        }

        item.scrollIntoView?.({ block: 'nearest' });
        if (who === 'theirs' && !this.isOpen()) {
            this.unread += 1;
            this.updateBadge();
        }
    }

    updateBadge() {
        if (this.badge) {
            this.badge.textContent = this.unread > 0 ? String(this.unread) : '';
        }

        // The words are the page's, in its language: data-label ("Chat") and data-label-unread ("Chat, {0} unread").
        const label = this.toggle?.dataset.label ?? 'Chat';
        const unread = this.toggle?.dataset.labelUnread ?? 'Chat, {0} unread';
        this.toggle?.setAttribute('aria-label', this.unread > 0 ? unread.replace('{0}', String(this.unread)) : label);
    }

    updateSendable() {
        const open = this.channel.readyState === 'open';
        this.form?.querySelectorAll('input, button').forEach((element) => {
            /** @type {HTMLInputElement | HTMLButtonElement} */ (element).disabled = !open;
        });
    }

    close() {
        this.form?.removeEventListener('submit', this.onSubmit);
        this.toggle?.removeEventListener('click', this.onToggle);
        this.channel.onmessage = this.channel.onopen = this.channel.onclose = null;
    }
}
