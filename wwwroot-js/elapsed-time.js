// @ts-check
// The pages' clocks, drawn by the browser: <elapsed-time elapsed-ms="N">m:ss</elapsed-time> counts on from N
// milliseconds, the time the server saw when it last rendered the element, so that no circuit renders a clock every
// second (with 50 visitors waiting, that was 50 renders a second for text the browser can draw itself).
// SPDX-License-Identifier: AGPL-3.0-or-later

/**
 * What the server renders too (WaitingTime.Between): m:ss, or h:mm:ss past an hour.
 * @param {number} ms
 */
export function format(ms) {
    const total = Math.floor(Math.max(0, ms) / 1000);
    const [hours, minutes, seconds] = [Math.floor(total / 3600), Math.floor(total / 60) % 60, total % 60];
    const two = (/** @type {number} */ n) => String(n).padStart(2, '0');
    return hours > 0 ? `${hours}:${two(minutes)}:${two(seconds)}` : `${Math.floor(total / 60)}:${two(seconds)}`;
}

class ElapsedTime extends HTMLElement {
    static observedAttributes = ['elapsed-ms'];

    /** performance.now() when the clock stood at zero. */
    #zero = 0;

    /** @type {ReturnType<typeof setTimeout> | undefined} */
    #timer;

    connectedCallback() {
        this.#restart();
    }

    disconnectedCallback() {
        clearTimeout(this.#timer);
        this.#timer = undefined;
    }

    // Each render of the server sends the elapsed time it saw: the clock starts again from there.
    attributeChangedCallback() {
        if (this.isConnected) {
            this.#restart();
        }
    }

    #restart() {
        const elapsed = Number(this.getAttribute('elapsed-ms'));
        this.#zero = performance.now() - (Number.isFinite(elapsed) ? Math.max(0, elapsed) : 0);
        clearTimeout(this.#timer);
        this.#tick();
    }

    #tick() {
        const elapsed = performance.now() - this.#zero;
        // Blazor owns the element's one text node and writes it on a render: its text is changed here, never the node
        // itself, so the two never disagree for longer than until the next tick.
        if (this.firstChild instanceof Text) {
            const text = format(elapsed);
            if (this.firstChild.data !== text) {
                this.firstChild.data = text;
            }
        }

        this.#timer = setTimeout(() => this.#tick(), 1000 - (elapsed % 1000) + 10); // just past the next whole second
    }
}

if (!customElements.get('elapsed-time')) {
    customElements.define('elapsed-time', ElapsedTime);
}
