// @ts-check
// The connection doctor's browser side: whether this browser can make a call at all, which of the relay's URLs it
// reaches, and whether UDP gets out.
// SPDX-License-Identifier: AGPL-3.0-or-later

// Nothing here opens a connection of its own: each check is an RTCPeerConnection with no other side, whose ICE
// gathering (what a call does first) is watched until it completes or times out, then closed.

/**
 * @typedef {{ urls: string | string[], username?: string, credential?: string }} IceServer
 * @typedef {{ url: string, reached: boolean, error: number | null }} UrlCheck one TURN URL: a relay candidate came, or the ICE error code
 * @typedef {{ serverReflexive: boolean, urls: UrlCheck[] }} ConnectivityReport
 * @typedef {{ peerConnection: boolean, media: boolean, secureContext: boolean }} CallSupport
 */

/**
 * What a call needs of the browser, asked before the visitor queues: a peer connection, the camera and
 * microphone API, and a secure context (without which browsers hide that API).
 * @returns {CallSupport}
 */
export function callSupport() {
    return {
        peerConnection: typeof RTCPeerConnection === 'function',
        media: typeof navigator.mediaDevices?.getUserMedia === 'function',
        secureContext: window.isSecureContext === true,
    };
}

/** How long one URL is given: an unreachable TCP or TLS port may never answer. */
const GATHERING_TIMEOUT_MS = 6000;

/**
 * Gathers with the configuration and calls back for each candidate and error, until done; then closes.
 * @param {RTCConfiguration} configuration
 * @param {(candidate: RTCIceCandidate) => void} onCandidate
 * @param {(errorCode: number) => void} onError
 * @returns {Promise<void>}
 */
function gather(configuration, onCandidate, onError) {
    return new Promise((resolve) => {
        /** @type {RTCPeerConnection} */
        let pc;
        try {
            pc = new RTCPeerConnection(configuration);
        } catch (e) {
            console.debug('ice-check: a configuration was refused', e);
            resolve();
            return;
        }

        const done = () => {
            clearTimeout(timer);
            pc.onicecandidate = pc.onicecandidateerror = null;
            pc.close();
            resolve();
        };
        const timer = setTimeout(done, GATHERING_TIMEOUT_MS);
        pc.onicecandidate = ({ candidate }) => (candidate ? onCandidate(candidate) : done());
        pc.onicecandidateerror = (event) => onError(/** @type {RTCPeerConnectionIceErrorEvent} */ (event).errorCode);
        pc.createDataChannel('check');
        pc.createOffer().then((offer) => pc.setLocalDescription(offer)).catch(done);
    });
}

/**
 * Checks each TURN URL on its own (relay only), and whether a server-reflexive address comes through any of them.
 * @param {IceServer[]} iceServers
 * @returns {Promise<ConnectivityReport>}
 */
export async function checkConnectivity(iceServers) {
    if (typeof RTCPeerConnection !== 'function' || !Array.isArray(iceServers)) {
        return { serverReflexive: false, urls: [] };
    }

    /** @type {IceServer[]} */
    const turn = [];
    for (const server of iceServers) {
        for (const url of Array.isArray(server.urls) ? server.urls : [server.urls]) {
            if (typeof url === 'string' && /^turns?:/i.test(url)) {
                turn.push({ urls: url, username: server.username, credential: server.credential });
            }
        }
    }

    let serverReflexive = false;
    const reflexive = gather({ iceServers }, (candidate) => {
        serverReflexive ||= candidate.type === 'srflx';
    }, () => {});
    const urls = turn.map(async (server) => {
        let reached = false;
        /** @type {number | null} */
        let error = null;
        await gather({ iceServers: [server], iceTransportPolicy: 'relay' }, (candidate) => {
            reached ||= candidate.type === 'relay';
        }, (code) => {
            error ??= code;
        });
        return { url: /** @type {string} */ (server.urls), reached, error: reached ? null : error };
    });
    const checks = await Promise.all(urls);
    await reflexive;
    return { serverReflexive, urls: checks };
}
