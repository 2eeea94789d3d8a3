// @ts-check
// One side of a 1:1 call: local media, one RTCPeerConnection, MDN's perfect negotiation and trickle ICE.
// SPDX-License-Identifier: AGPL-3.0-or-later

// This module never opens a connection of its own: every description and candidate leaves through the .NET
// reference (OnLocalDescription, OnLocalCandidate) and arrives through handle.handleSignal().
// The end-of-candidates event (candidate null) is not sent: the server accepts only real candidates, and every
// browser finishes ICE without it.

/**
 * @typedef {{ urls: string | string[], username?: string, credential?: string }} IceServer
 * @typedef {{ iceServers: IceServer[], iceTransportPolicy: 'all' | 'relay', polite: boolean }} PeerOptions
 * @typedef {{ invokeMethodAsync(name: string, ...args: any[]): Promise<any> }} DotNetRef Blazor's DotNetObjectReference on the JS side
 * @typedef {{
 *   framesDecoded: number,
 *   bytesReceived: number,
 *   localCandidateType: string | null,
 *   remoteCandidateType: string | null,
 *   connectionState: string,
 *   audioEnabled: boolean | null,
 *   videoEnabled: boolean | null,
 * }} PeerStats
 * @typedef {{
 *   handleSignal(kind: string, payloadJson: string | null): void,
 *   setMicrophoneEnabled(enabled: boolean): boolean,
 *   setCameraEnabled(enabled: boolean): boolean,
 *   stats(): Promise<PeerStats>,
 *   close(): void,
 * }} PeerHandle
 * @typedef {{ stream: MediaStream | null, errorName: string | null }} LocalMedia
 */

/** Larger than any description the server forwards (64 KB of printable SDP, even fully escaped), so only garbage is refused here. */
const MAX_PAYLOAD_LENGTH = 2 * 64 * 1024 + 64;

const VIDEO_CONSTRAINTS = { width: { ideal: 640 }, height: { ideal: 480 } };

/** getUserMedia failures that mean "this device is missing or busy", worth a retry with less. */
const DEVICE_ERRORS = new Set(['NotFoundError', 'OverconstrainedError', 'NotReadableError']);

/** @type {Set<PeerHandle>} */
const openHandles = new Set();

/**
 * Calls .NET and forgets: the circuit may already be gone, and nothing here can do anything about it.
 * @param {DotNetRef} dotNetRef
 * @param {string} method
 * @param {...any} args
 * @returns {Promise<void>}
 */
function notify(dotNetRef, method, ...args) {
    try {
        return Promise.resolve(dotNetRef.invokeMethodAsync(method, ...args)).then(
            () => undefined,
            (e) => console.debug(`webrtc-call: ${method} failed`, e));
    } catch (e) {
        // a disposed DotNetObjectReference throws synchronously
        console.debug(`webrtc-call: ${method} failed`, e);
        return Promise.resolve();
    }
}

/**
 * @param {unknown} e
 * @returns {string}
 */
function errorName(e) {
    return e instanceof Error || e instanceof DOMException ? e.name : 'Error';
}

/**
 * Camera and microphone, else the microphone alone, else the camera alone, else nothing.
 * A refusal ends the search at once: asking again would only repeat the refusal.
 * @returns {Promise<LocalMedia>}
 */
async function openLocalMedia() {
    if (!navigator.mediaDevices?.getUserMedia) {
        return { stream: null, errorName: 'NotSupportedError' };
    }

    /** @type {MediaStreamConstraints[]} */
    const attempts = [{ audio: true, video: VIDEO_CONSTRAINTS }, { audio: true }, { video: VIDEO_CONSTRAINTS }];
    /** @type {string | null} */
    let lastError = null;
    for (const constraints of attempts) {
        try {
            return { stream: await navigator.mediaDevices.getUserMedia(constraints), errorName: lastError };
        } catch (e) {
            lastError = errorName(e);
            if (!DEVICE_ERRORS.has(lastError)) {
                break;
            }
        }
    }

    return { stream: null, errorName: lastError };
}

/**
 * Only the fields an RTCSessionDescriptionInit may have, or null when the payload is not one.
 * @param {unknown} value
 * @returns {RTCSessionDescriptionInit | null}
 */
function toDescription(value) {
    if (typeof value !== 'object' || value === null) {
        return null;
    }

    const { type, sdp } = /** @type {{ type?: unknown, sdp?: unknown }} */ (value);
    if (type === 'rollback') {
        return { type };
    }

    return (type === 'offer' || type === 'answer') && typeof sdp === 'string' && sdp.length > 0 ? { type, sdp } : null;
}

/**
 * Only the fields an RTCIceCandidateInit may have, or null when the payload is not one.
 * JSON null is the remote end-of-candidates, which addIceCandidate takes as an empty candidate.
 * @param {unknown} value
 * @returns {RTCIceCandidateInit | null}
 */
function toCandidate(value) {
    if (value === null) {
        return { candidate: '' };
    }

    if (typeof value !== 'object') {
        return null;
    }

    const { candidate, sdpMid, sdpMLineIndex, usernameFragment } =
        /** @type {{ candidate?: unknown, sdpMid?: unknown, sdpMLineIndex?: unknown, usernameFragment?: unknown }} */ (value);
    if (typeof candidate !== 'string'
        || (sdpMid != null && typeof sdpMid !== 'string')
        || (sdpMLineIndex != null && !Number.isInteger(sdpMLineIndex))
        || (usernameFragment != null && typeof usernameFragment !== 'string')) {
        return null;
    }

    return {
        candidate,
        sdpMid: /** @type {string | null | undefined} */ (sdpMid) ?? null,
        sdpMLineIndex: /** @type {number | null | undefined} */ (sdpMLineIndex) ?? null,
        usernameFragment: /** @type {string | null | undefined} */ (usernameFragment) ?? null,
    };
}

/**
 * Creates the peer connection for one call and returns its handle at once; the camera and microphone are asked
 * for in the background (a permission prompt can stay open for minutes), reported through OnMediaStarted, and
 * received signals wait for them so that an answer carries this side's tracks. close() works at any time, and
 * media granted after it is stopped at once. Signals that .NET received before this returns must be handed to
 * handleSignal afterwards, in order.
 * @param {DotNetRef} dotNetRef
 * @param {HTMLVideoElement | null} localVideo
 * @param {HTMLVideoElement | null} remoteVideo
 * @param {PeerOptions} options
 * @returns {PeerHandle}
 */
export function createPeer(dotNetRef, localVideo, remoteVideo, options) {
    const polite = options?.polite === true;
    const pc = new RTCPeerConnection({
        iceServers: Array.isArray(options?.iceServers) ? options.iceServers : [],
        iceTransportPolicy: options?.iceTransportPolicy === 'relay' ? 'relay' : 'all',
    });

    let closed = false;
    /** @type {MediaStream | null} */
    let stream = null;
    /** @type {MediaStreamTrack | null} */
    let audioTrack = null;
    /** @type {MediaStreamTrack | null} */
    let videoTrack = null;
    let makingOffer = false;
    let ignoreOffer = false;
    let isSettingRemoteAnswerPending = false;
    let restartedIce = false;
    /** @type {string | null} */
    let reportedState = null;
    // Remote candidates that came before the remote description, kept as Galène keeps them.
    /** @type {RTCIceCandidateInit[]} */
    let pendingCandidates = [];
    // Signals are handled one at a time, in the order .NET delivered them, once local media is settled.
    /** @type {Promise<void>} */
    let signalQueue;
    // Used only when the other side sends tracks without a stream.
    /** @type {MediaStream | null} */
    let remoteStream = null;

    /** @param {LocalMedia} media */
    const attachLocalMedia = ({ stream: opened, errorName: mediaError }) => {
        if (closed) {
            opened?.getTracks().forEach((track) => track.stop()); // granted after the call ended
            return;
        }

        stream = opened;
        audioTrack = opened?.getAudioTracks()[0] ?? null;
        videoTrack = opened?.getVideoTracks()[0] ?? null;
        if (opened) {
            for (const track of opened.getTracks()) {
                pc.addTrack(track, opened);
            }

            if (localVideo) {
                localVideo.muted = true;
                localVideo.srcObject = opened;
            }
        }

        // Without a microphone or camera of our own we must still ask for the other side's media,
        // or an offer from this side would carry no m-line for it.
        if (!audioTrack) {
            pc.addTransceiver('audio', { direction: 'recvonly' });
        }

        if (!videoTrack) {
            pc.addTransceiver('video', { direction: 'recvonly' });
        }

        void notify(dotNetRef, 'OnMediaStarted', audioTrack !== null, videoTrack !== null, mediaError);
    };

    /** @param {string} state */
    const reportState = (state) => {
        if (closed || state === reportedState) {
            return;
        }

        reportedState = state;
        void notify(dotNetRef, 'OnConnectionStateChanged', state);
    };

    // One restart per failure: a path that needs a TURN relay we do not have will not appear by retrying in a loop.
    const restartIceOnFailure = () => {
        if (!restartedIce) {
            restartedIce = true;
            pc.restartIce();
        }
    };

    /** @param {RTCSessionDescription | null} description */
    const sendDescription = (description) => {
        if (description && !closed) {
            void notify(dotNetRef, 'OnLocalDescription', description.type, description.sdp);
        }
    };

    pc.onnegotiationneeded = async () => {
        try {
            makingOffer = true;
            await pc.setLocalDescription();
            sendDescription(pc.localDescription);
        } catch (e) {
            console.debug('webrtc-call: negotiation failed', e);
        } finally {
            makingOffer = false;
        }
    };

    pc.onicecandidate = ({ candidate }) => {
        if (candidate && !closed) {
            void notify(dotNetRef, 'OnLocalCandidate', JSON.stringify(candidate.toJSON()));
        }
    };

    pc.onconnectionstatechange = () => {
        const state = pc.connectionState;
        if (state === 'connected') {
            restartedIce = false;
        } else if (state === 'failed') {
            restartIceOnFailure();
        }

        reportState(state);
    };

    // Browsers that lag on connectionState still report these two through the ICE state.
    pc.oniceconnectionstatechange = () => {
        const state = pc.iceConnectionState;
        if (state === 'failed') {
            restartIceOnFailure();
        }

        if (state === 'disconnected' || state === 'failed') {
            reportState(state);
        } else if ((state === 'connected' || state === 'completed') && pc.connectionState === 'connected') {
            reportState('connected');
        }
    };

    pc.ontrack = (event) => {
        if (!remoteVideo) {
            return;
        }

        let target;
        if (event.streams.length > 0) {
            target = event.streams[0];
        } else {
            remoteStream ??= new MediaStream();
            remoteStream.addTrack(event.track);
            target = remoteStream;
        }

        if (remoteVideo.srcObject !== target) {
            remoteVideo.srcObject = target;
        }

        // AbortError when a newer srcObject interrupts, NotAllowedError under an autoplay policy: both harmless.
        remoteVideo.play()?.catch((e) => console.debug('webrtc-call: remote video did not start', e));
    };

    const flushPendingCandidates = async () => {
        const candidates = pendingCandidates;
        pendingCandidates = [];
        for (const candidate of candidates) {
            try {
                await pc.addIceCandidate(candidate);
            } catch (e) {
                // some may belong to an offer that was rolled back or ignored
                console.debug('webrtc-call: a buffered candidate was refused', e);
            }
        }
    };

    /** @param {RTCSessionDescriptionInit} description */
    const receiveDescription = async (description) => {
        const readyForOffer = !makingOffer && (pc.signalingState === 'stable' || isSettingRemoteAnswerPending);
        const offerCollision = description.type === 'offer' && !readyForOffer;
        ignoreOffer = !polite && offerCollision;
        if (ignoreOffer) {
            return;
        }

        // The polite peer's pending offer, if any, is rolled back implicitly by setRemoteDescription.
        isSettingRemoteAnswerPending = description.type === 'answer';
        try {
            await pc.setRemoteDescription(description);
        } finally {
            isSettingRemoteAnswerPending = false;
        }

        await flushPendingCandidates();
        if (description.type === 'offer') {
            await pc.setLocalDescription();
            sendDescription(pc.localDescription);
        }
    };

    /** @param {RTCIceCandidateInit} candidate */
    const receiveCandidate = async (candidate) => {
        if (!pc.remoteDescription) {
            pendingCandidates.push(candidate);
            return;
        }

        try {
            await pc.addIceCandidate(candidate);
        } catch (e) {
            // candidates of an offer we ignored are expected to fail
            if (!ignoreOffer) {
                throw e;
            }
        }
    };

    /**
     * @param {string} kind
     * @param {unknown} parsed
     * @returns {Promise<void>}
     */
    const receive = async (kind, parsed) => {
        if (closed) {
            return;
        }

        if (kind === 'description') {
            const description = toDescription(parsed);
            if (description) {
                await receiveDescription(description);
            }
        } else {
            const candidate = toCandidate(parsed);
            if (candidate) {
                await receiveCandidate(candidate);
            }
        }
    };

    /**
     * @param {string} kind
     * @param {boolean} enabled
     * @returns {boolean}
     */
    const setEnabled = (kind, enabled) => {
        const track = kind === 'audio' ? audioTrack : videoTrack;
        if (closed || !track) {
            return false;
        }

        track.enabled = enabled === true;
        return track.enabled;
    };

    /** @type {PeerHandle} */
    const handle = Object.freeze({
        handleSignal(kind, payloadJson) {
            if ((kind !== 'description' && kind !== 'candidate')
                || typeof payloadJson !== 'string' || payloadJson.length > MAX_PAYLOAD_LENGTH) {
                return;
            }

            /** @type {unknown} */
            let parsed;
            try {
                parsed = JSON.parse(payloadJson);
            } catch {
                return;
            }

            // What the other side sends can fail here (a description this browser refuses): that is logged, and
            // never reaches .NET, where a rejected call would end this page's circuit.
            signalQueue = signalQueue.then(() => receive(kind, parsed))
                .catch((e) => console.debug(`webrtc-call: a received ${kind} was refused`, e));
        },

        setMicrophoneEnabled(enabled) {
            return setEnabled('audio', enabled);
        },

        setCameraEnabled(enabled) {
            return setEnabled('video', enabled);
        },

        async stats() {
            /** @type {PeerStats} */
            const result = {
                framesDecoded: 0,
                bytesReceived: 0,
                localCandidateType: null,
                remoteCandidateType: null,
                connectionState: closed ? 'closed' : pc.connectionState,
                audioEnabled: audioTrack ? audioTrack.enabled : null,
                videoEnabled: videoTrack ? videoTrack.enabled : null,
            };
            if (closed) {
                return result;
            }

            Object.assign(result, summarizeStats(await pc.getStats()));
            return result;
        },

        close() {
            if (closed) {
                return;
            }

            closed = true;
            openHandles.delete(handle);
            pendingCandidates = [];
            pc.onnegotiationneeded = null;
            pc.onicecandidate = null;
            pc.onconnectionstatechange = null;
            pc.oniceconnectionstatechange = null;
            pc.ontrack = null;
            stream?.getTracks().forEach((track) => track.stop());
            pc.close();
            if (localVideo) {
                localVideo.srcObject = null;
            }

            if (remoteVideo) {
                remoteVideo.srcObject = null;
            }
        },
    });

    openHandles.add(handle);
    signalQueue = openLocalMedia().then(attachLocalMedia).catch((e) => console.debug('webrtc-call: local media failed', e));
    return handle;
}

/**
 * Received video and the kinds of the candidates in use, from one getStats() report.
 * @param {RTCStatsReport} report
 * @returns {Pick<PeerStats, 'framesDecoded' | 'bytesReceived' | 'localCandidateType' | 'remoteCandidateType'>}
 */
function summarizeStats(report) {
    /**
     * @typedef {{
     *   id: string, type: string, kind?: string, mediaType?: string, framesDecoded?: number, bytesReceived?: number,
     *   selectedCandidatePairId?: string, nominated?: boolean, state?: string,
     *   localCandidateId?: string, remoteCandidateId?: string, candidateType?: string,
     * }} StatsEntry
     */
    let framesDecoded = 0;
    let bytesReceived = 0;
    /** @type {string | undefined} */
    let selectedPairId;
    /** @type {StatsEntry | undefined} */
    let nominatedPair;
    report.forEach((/** @type {StatsEntry} */ entry) => {
        if (entry.type === 'inbound-rtp' && (entry.kind ?? entry.mediaType) === 'video') {
            framesDecoded += entry.framesDecoded ?? 0;
            bytesReceived += entry.bytesReceived ?? 0;
        } else if (entry.type === 'transport' && entry.selectedCandidatePairId) {
            selectedPairId = entry.selectedCandidatePairId;
        } else if (entry.type === 'candidate-pair' && entry.nominated && entry.state === 'succeeded') {
            nominatedPair ??= entry;
        }
    });

    // Firefox has no transport entry, hence the nominated pair as a fallback.
    const pair = /** @type {StatsEntry | undefined} */ (selectedPairId ? report.get(selectedPairId) : undefined) ?? nominatedPair;
    /** @param {string | undefined} id */
    const candidateType = (id) => (id ? /** @type {StatsEntry | undefined} */ (report.get(id))?.candidateType : undefined) ?? null;
    return {
        framesDecoded,
        bytesReceived,
        localCandidateType: candidateType(pair?.localCandidateId),
        remoteCandidateType: candidateType(pair?.remoteCandidateId),
    };
}

/**
 * stats() of every peer not yet closed, for end-to-end tests that import this module in the page.
 * @returns {Promise<PeerStats[]>}
 */
export function openPeerStats() {
    return Promise.all([...openHandles].map((handle) => handle.stats()));
}
