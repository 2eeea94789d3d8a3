// @ts-check
// One side of a 1:1 call: local media, one RTCPeerConnection, MDN's perfect negotiation and trickle ICE.
// SPDX-License-Identifier: AGPL-3.0-or-later

import { Chat } from './call-chat.js';
import { announce, chosenDevice, listDevices, onChoice, setInUse } from './media-devices.js';

// This module never opens a connection of its own: every description and candidate leaves through the .NET
// reference (OnLocalDescription, OnLocalCandidate) and arrives through handle.handleDescription() and
// handle.handleCandidate(), as plain objects that .NET has checked.
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
 *   localProtocol: string | null,
 *   relayProtocol: string | null,
 *   roundTripTime: number | null,
 *   packetsReceived: number,
 *   packetsLost: number,
 *   frameWidth: number | null,
 *   frameHeight: number | null,
 *   framesPerSecond: number | null,
 *   audioSamplesReceived: number,
 *   restarts: number,
 *   signalingState: string,
 *   connectionState: string,
 *   audioEnabled: boolean | null,
 *   videoEnabled: boolean | null,
 * }} PeerStats
 * @typedef {{
 *   handleDescription(description: unknown): void,
 *   handleCandidate(candidate: unknown): void,
 *   setMicrophoneEnabled(enabled: boolean): boolean,
 *   setCameraEnabled(enabled: boolean): boolean,
 *   switchDevice(kind: string, deviceId: string): Promise<boolean>,
 *   startScreenShare(): Promise<boolean>,
 *   stopScreenShare(): Promise<boolean>,
 *   toggleFullscreen(): Promise<boolean>,
 *   togglePictureInPicture(): Promise<boolean>,
 *   features(): CallFeatures,
 *   stats(): Promise<PeerStats>,
 *   close(): void,
 * }} PeerHandle
 * @typedef {{ stream: MediaStream | null, errorName: string | null }} LocalMedia
 * @typedef {{ host: boolean, srflx: boolean, relay: string[], refused: boolean }} GatheringReport
 * @typedef {{ screenShare: boolean, fullscreen: boolean, pictureInPicture: boolean }} CallFeatures what this browser offers
 * @typedef {{ kind: string, trackId: string | null, deviceId: string | null, label: string | null, enabled: boolean | null, sourceTrackId: string | null, framesSent: number, bytesSent: number }} SenderReport
 */

const VIDEO_CONSTRAINTS = { width: { ideal: 640 }, height: { ideal: 480 } };

/** A connected call that dropped waits this long for the browser to recover by itself before an ICE restart. */
const DISCONNECTED_GRACE_MS = 2000;

/** Time given to each ICE restart before the next one. */
const RESTART_INTERVAL_MS = 5000;

/** ICE restarts in a row before a dropped call is given up: a network that is gone will not come back by retrying. */
export const MAX_RESTARTS = 3;

/** What was gathered is reported after this long even when gathering is not complete (an unreachable relay port can stall it). */
const GATHERING_REPORT_MS = 8000;

/** What the page sends .NET waits here, in order, while the circuit is reconnecting; more than this is dropped. */
const OUTBOX_LIMIT = 500;

/**
 * A call to .NET made while the circuit is down never settles (Blazor sends it and forgets): each attempt is given
 * this long, then tried again, this many times; then the call is given up and the peer closed.
 */
const SEND_TIMEOUT_MS = 5000;
const SEND_ATTEMPTS = 24;

/** getUserMedia failures that mean "this device is missing or busy", worth a retry with less. */
const DEVICE_ERRORS = new Set(['NotFoundError', 'OverconstrainedError', 'NotReadableError']);

/** @type {Set<PeerHandle>} */
const openHandles = new Set();

/** Each open handle's report of what it sends, for the tests' openPeerSenders(). @type {WeakMap<PeerHandle, () => Promise<SenderReport[]>>} */
const senders = new WeakMap();

/**
 * @param {unknown} e
 * @returns {string}
 */
function errorName(e) {
    return e instanceof Error || e instanceof DOMException ? e.name : 'Error';
}

/**
 * The constraints of the device of this kind last chosen: exact when the browser still lists it (an ideal one is
 * not always honoured: Chromium's automatic permission takes the first camera), else ideal; null when none was chosen.
 * @param {'audioinput' | 'videoinput'} kind
 * @param {Set<string>} listed the device ids the browser lists
 * @returns {MediaTrackConstraints | null}
 */
function preferred(kind, listed) {
    const deviceId = chosenDevice(kind);
    const base = kind === 'videoinput' ? VIDEO_CONSTRAINTS : {};
    return deviceId ? { ...base, deviceId: listed.has(deviceId) ? { exact: deviceId } : { ideal: deviceId } } : null;
}

/**
 * Neither stopped nor being stopped.
 * @param {RTCRtpTransceiver} transceiver
 */
function isLive(transceiver) {
    return transceiver.currentDirection !== 'stopped' && transceiver.direction !== 'stopped';
}

/**
 * Camera and microphone (the ones last chosen, where they are still there), else the browser's own, else the
 * microphone alone, else the camera alone, else nothing. A refusal ends the search at once: asking again would
 * only repeat the refusal.
 * @returns {Promise<LocalMedia>}
 */
async function openLocalMedia() {
    if (!navigator.mediaDevices?.getUserMedia) {
        return { stream: null, errorName: 'NotSupportedError' };
    }

    const listed = new Set((await listDevices()).map((d) => d.deviceId));
    const audio = preferred('audioinput', listed);
    const video = preferred('videoinput', listed);
    /** @type {MediaStreamConstraints[]} */
    const attempts = [{ audio: true, video: VIDEO_CONSTRAINTS }, { audio: true }, { video: VIDEO_CONSTRAINTS }];
    if (audio || video) {
        attempts.unshift({ audio: audio ?? true, video: video ?? VIDEO_CONSTRAINTS });
    }
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
 * One side of one call: the RTCPeerConnection, local media, and MDN's perfect negotiation. Received descriptions and
 * candidates are handled one at a time, in the order .NET delivered them, once local media is settled, so that an
 * answer carries this side's tracks.
 */
class Peer {
    /**
     * @param {DotNetRef} dotNetRef
     * @param {HTMLVideoElement | null} localVideo
     * @param {HTMLVideoElement | null} remoteVideo
     * @param {PeerOptions} options
     * @param {HTMLElement | null} chatRoot
     */
    constructor(dotNetRef, localVideo, remoteVideo, options, chatRoot) {
        this.dotNetRef = dotNetRef;
        this.localVideo = localVideo;
        this.remoteVideo = remoteVideo;
        this.polite = options?.polite === true;
        this.pc = new RTCPeerConnection({
            iceServers: Array.isArray(options?.iceServers) ? options.iceServers : [],
            iceTransportPolicy: options?.iceTransportPolicy === 'relay' ? 'relay' : 'all',
        });
        this.closed = false;
        /** @type {MediaStream | null} */
        this.stream = null;
        /** @type {MediaStreamTrack | null} */
        this.audioTrack = null;
        /** @type {MediaStreamTrack | null} */
        this.videoTrack = null;
        this.makingOffer = false;
        this.ignoreOffer = false;
        this.isSettingRemoteAnswerPending = false;
        this.everConnected = false;
        this.restarts = 0;
        /** @type {ReturnType<typeof setTimeout> | null} */
        this.restartTimer = null;
        /** @type {ReturnType<typeof setTimeout> | null} */
        this.gatheringTimer = null;
        this.credentialsRefused = false;
        /** Messages for .NET not yet taken, oldest first. @type {{ method: string, args: any[] }[]} */
        this.outbox = [];
        this.sending = false;
        /** @type {string | null} */
        this.reportedState = null;
        /** Remote candidates that came before the remote description, kept as Galène keeps them. @type {RTCIceCandidateInit[]} */
        this.pendingCandidates = [];
        /** Used only when the other side sends tracks without a stream. @type {MediaStream | null} */
        this.remoteStream = null;
        this.pc.onnegotiationneeded = () => this.negotiate();
        this.pc.onicecandidate = ({ candidate }) => {
            if (candidate && !this.closed) {
                this.send('OnLocalCandidate', candidate.toJSON());
            }
        };
        this.pc.onconnectionstatechange = () => this.connectionStateChanged();
        this.pc.oniceconnectionstatechange = () => this.iceConnectionStateChanged();
        this.pc.onicegatheringstatechange = () => {
            if (this.pc.iceGatheringState === 'complete') {
                void this.reportGathering();
            }
        };
        this.pc.onicecandidateerror = (event) => {
            // 401: the relay refused the minted credentials (a shared secret that is not coturn's)
            if (/** @type {RTCPeerConnectionIceErrorEvent} */ (event).errorCode === 401) {
                this.credentialsRefused = true;
            }
        };
        this.pc.ontrack = (event) => this.showRemoteTrack(event);
        this.chatRoot = chatRoot;
        /** Made with the media, so that one offer carries all. @type {Chat | null} */
        this.chat = null;
        /** The shared screen's track while sharing. @type {MediaStreamTrack | null} */
        this.screenTrack = null;
        /** Why the last device asked for by id did not start. @type {string | null} */
        this.lastOpenError = null;
        /** Whether the video transceiver was opened for a screen share alone (there was no camera). */
        this.openedForScreen = false;
        /** @type {Promise<void>} */
        this.queue = openLocalMedia().then((media) => this.attachLocalMedia(media))
            .catch((e) => console.debug('webrtc-call: local media failed', e));
        /** Device switches, one at a time, after local media is settled. @type {Promise<unknown>} */
        this.deviceWork = this.queue;
        /** What .NET was last told this side sends: [audio, video]. */
        this.reportedMedia = [false, false];
        this.stopFollowingChoices = onChoice((kind, deviceId) => void this.switchDevice(kind, deviceId));
    }

    /** @param {LocalMedia} media */
    attachLocalMedia({ stream, errorName: mediaError }) {
        if (this.closed) {
            stream?.getTracks().forEach((track) => track.stop()); // granted after the call ended
            return;
        }

        // Negotiated on both sides with the same id, and made here with the tracks: one offer carries audio, video
        // and the chat. (Made alone earlier, it cost a round of negotiation of its own, and with Firefox as the
        // offerer that call failed within seconds.)
        this.chat = new Chat(this.pc.createDataChannel('chat', { negotiated: true, id: 0 }), this.chatRoot);
        this.stream = stream;
        this.audioTrack = stream?.getAudioTracks()[0] ?? null;
        this.videoTrack = stream?.getVideoTracks()[0] ?? null;
        if (stream) {
            for (const track of stream.getTracks()) {
                this.pc.addTrack(track, stream);
                this.follow(track);
            }

            if (this.localVideo) {
                this.localVideo.muted = true;
                this.localVideo.srcObject = stream;
            }
        }

        this.showFacing();
        setInUse('audioinput', this.audioTrack?.getSettings().deviceId ?? null);
        setInUse('videoinput', this.videoTrack?.getSettings().deviceId ?? null);
        const speaker = chosenDevice('audiooutput');
        if (speaker) {
            void this.setSpeaker(speaker);
        }

        // Without a microphone or camera of our own we must still ask for the other side's media, or an offer from
        // this side would carry no m-line for it. (The other side's offer waits in the queue until now; should it
        // bring its own m-line, dropUnusedReceivers takes this one back.)
        if (!this.audioTrack) {
            this.pc.addTransceiver('audio', { direction: 'recvonly' });
        }

        if (!this.videoTrack) {
            this.pc.addTransceiver('video', { direction: 'recvonly' });
        }

        this.reportedMedia = [this.audioTrack !== null, this.videoTrack !== null];
        this.send('OnMediaStarted', this.audioTrack !== null, this.videoTrack !== null, mediaError);
        this.gatheringTimer = setTimeout(() => void this.reportGathering(), GATHERING_REPORT_MS);
    }

    /** What this side gathered, from the local candidates getStats() knows, for the server's cause of a failure. */
    async reportGathering() {
        if (this.closed) {
            return;
        }

        if (this.gatheringTimer !== null) {
            clearTimeout(this.gatheringTimer);
            this.gatheringTimer = null;
        }

        /** @type {GatheringReport} */
        const report = { host: false, srflx: false, relay: [], refused: this.credentialsRefused };
        (await this.pc.getStats()).forEach((/** @type {{ type: string, candidateType?: string, relayProtocol?: string }} */ entry) => {
            if (entry.type !== 'local-candidate') {
                return;
            }

            if (entry.candidateType === 'host') {
                report.host = true;
            } else if (entry.candidateType === 'srflx') {
                report.srflx = true;
            } else if (entry.candidateType === 'relay' && entry.relayProtocol && !report.relay.includes(entry.relayProtocol)) {
                report.relay.push(entry.relayProtocol);
            }
        });
        if (!this.closed) {
            this.send('OnGathered', report);
        }
    }

    /**
     * Sends .NET a message, after the ones before it. While the circuit is reconnecting (a network change, a lost
     * Wi-Fi) a call is lost; each is given SEND_TIMEOUT_MS and sent again, so that an ICE restart's offer made then
     * is not lost. Media does not need the circuit, but renegotiation does.
     * @param {string} method
     * @param {...any} args
     */
    send(method, ...args) {
        if (this.closed || this.outbox.length >= OUTBOX_LIMIT) {
            return;
        }

        this.outbox.push({ method, args });
        if (!this.sending) {
            void this.flush();
        }
    }

    async flush() {
        this.sending = true;
        let attempts = 0;
        while (this.outbox.length > 0 && !this.closed) {
            const { method, args } = this.outbox[0];
            try {
                await Promise.race([
                    this.dotNetRef.invokeMethodAsync(method, ...args),
                    new Promise((_, reject) => setTimeout(() => reject(new Error('no answer')), SEND_TIMEOUT_MS)),
                ]);
            } catch (e) {
                // A timed-out call may still have arrived: .NET drops a repeated description, and a repeated
                // state or candidate changes nothing.
                if (++attempts < SEND_ATTEMPTS) {
                    console.debug(`webrtc-call: ${method} failed, trying again`, e);
                    continue;
                }

                console.debug('webrtc-call: .NET is gone, closing the call', e);
                this.close(); // the camera goes off rather than stay on for a page that can no longer end the call
                break;
            }

            attempts = 0;
            this.outbox.shift();
        }

        this.sending = false;
    }

    /**
     * Runs one received message after the ones before it. What the other side sends can fail here (a description
     * this browser refuses): that is logged, and never reaches .NET, where a rejected call would end the circuit.
     * @param {string} what
     * @param {() => Promise<void>} work
     */
    enqueue(what, work) {
        this.queue = this.queue.then(() => (this.closed ? undefined : work()))
            .catch((e) => console.debug(`webrtc-call: a received ${what} was refused`, e));
    }

    /** @param {string} state */
    reportState(state) {
        if (!this.closed && state !== this.reportedState) {
            this.reportedState = state;
            this.send('OnConnectionStateChanged', state);
        }
    }

    /**
     * A connected call that dropped is restarted, at most MAX_RESTARTS times in a row, RESTART_INTERVAL_MS apart;
     * then it is given up ('failed'). A call that never connected is not restarted: a path that does not exist will
     * not appear by retrying, and the server's deadline tells both sides why at once.
     * @param {number} delay
     */
    scheduleRestart(delay) {
        if (this.restartTimer !== null || this.closed) {
            return;
        }

        this.restartTimer = setTimeout(() => {
            this.restartTimer = null;
            if (this.closed || this.pc.connectionState === 'connected') {
                return;
            }

            if (this.restarts >= MAX_RESTARTS) {
                this.reportState('failed');
                return;
            }

            this.restarts += 1;
            this.pc.restartIce();
            this.scheduleRestart(RESTART_INTERVAL_MS);
        }, delay);
    }

    /** @param {RTCSessionDescription | null} description */
    sendDescription(description) {
        if (description && !this.closed) {
            this.send('OnLocalDescription', { type: description.type, sdp: description.sdp });
        }
    }

    async negotiate() {
        try {
            this.makingOffer = true;
            await this.pc.setLocalDescription();
            this.sendDescription(this.pc.localDescription);
        } catch (e) {
            console.debug('webrtc-call: negotiation failed', e);
        } finally {
            this.makingOffer = false;
        }
    }

    connectionStateChanged() {
        this.stateChanged(this.pc.connectionState);
    }

    // Browsers that lag on connectionState still report a drop through the ICE state.
    iceConnectionStateChanged() {
        const state = this.pc.iceConnectionState;
        if (state === 'disconnected' || state === 'failed') {
            this.stateChanged(state);
        } else if ((state === 'connected' || state === 'completed') && this.pc.connectionState === 'connected') {
            this.stateChanged('connected');
        }
    }

    /** @param {string} state */
    stateChanged(state) {
        if (state === 'connected') {
            this.everConnected = true;
            this.restarts = 0;
            if (this.restartTimer !== null) {
                clearTimeout(this.restartTimer);
                this.restartTimer = null;
            }

            this.reportState('connected');
        } else if (this.everConnected && state !== 'closed') {
            // dropped: reconnecting, by the browser itself or by a restart, until given up
            this.reportState('disconnected');
            this.scheduleRestart(state === 'failed' ? 0 : DISCONNECTED_GRACE_MS);
        } else {
            this.reportState(state);
        }
    }

    /** @param {RTCTrackEvent} event */
    showRemoteTrack(event) {
        const video = this.remoteVideo;
        if (!video) {
            return;
        }

        let target;
        if (event.streams.length > 0) {
            target = event.streams[0];
        } else {
            this.remoteStream ??= new MediaStream();
            this.remoteStream.addTrack(event.track);
            target = this.remoteStream;
        }

        if (video.srcObject !== target) {
            video.srcObject = target;
        }

        // AbortError when a newer srcObject interrupts, NotAllowedError under an autoplay policy: both harmless.
        video.play()?.catch((e) => console.debug('webrtc-call: remote video did not start', e));
    }

    async flushPendingCandidates() {
        const candidates = this.pendingCandidates;
        this.pendingCandidates = [];
        for (const candidate of candidates) {
            try {
                await this.pc.addIceCandidate(candidate);
            } catch (e) {
                // some may belong to an offer that was rolled back or ignored
                console.debug('webrtc-call: a buffered candidate was refused', e);
            }
        }
    }

    /** @param {RTCSessionDescriptionInit} description */
    async receiveDescription(description) {
        const readyForOffer = !this.makingOffer && (this.pc.signalingState === 'stable' || this.isSettingRemoteAnswerPending);
        const offerCollision = description.type === 'offer' && !readyForOffer;
        this.ignoreOffer = !this.polite && offerCollision;
        if (this.ignoreOffer) {
            return;
        }

        // The polite peer's pending offer, if any, is rolled back implicitly by setRemoteDescription.
        this.isSettingRemoteAnswerPending = description.type === 'answer';
        try {
            await this.pc.setRemoteDescription(description);
        } finally {
            this.isSettingRemoteAnswerPending = false;
        }

        await this.flushPendingCandidates();
        if (description.type === 'offer') {
            this.dropUnusedReceivers();
            await this.pc.setLocalDescription();
            this.sendDescription(this.pc.localDescription);
        }
    }

    /** @param {RTCIceCandidateInit} candidate */
    async receiveCandidate(candidate) {
        if (!this.pc.remoteDescription) {
            this.pendingCandidates.push(candidate);
            return;
        }

        try {
            await this.pc.addIceCandidate(candidate);
        } catch (e) {
            // candidates of an offer we ignored are expected to fail
            if (!this.ignoreOffer) {
                throw e;
            }
        }
    }

    /**
     * After the other side's offer: a receive-only transceiver of ours that it did not take up (the offer made its own
     * for the kind: only those of addTrack are reused) would be answered as a second m-line of that kind. Never
     * negotiated, it goes without a word to the other side.
     */
    dropUnusedReceivers() {
        const transceivers = this.pc.getTransceivers().filter(isLive);
        for (const t of transceivers) {
            const kind = t.receiver.track.kind;
            if (t.mid === null && t.direction === 'recvonly' && !t.sender.track
                && transceivers.some((other) => other !== t && other.mid !== null && other.receiver.track.kind === kind)) {
                t.stop();
            }
        }
    }

    /** The video transceiver: the camera's, or the receive-only one added when there is no camera. */
    videoTransceiver() {
        return this.transceiverOf('video');
    }

    /**
     * The one transceiver of this kind (each side adds one of each), found by its receiver, which never changes.
     * @param {'audio' | 'video'} kind
     */
    transceiverOf(kind) {
        return this.pc.getTransceivers().find((t) => t.receiver.track.kind === kind && isLive(t)) ?? null;
    }

    /**
     * The transceiver that sends this kind now: the one whose sender has the track in use (the screen's, while
     * shared), else the first of the kind.
     * @param {'audioinput' | 'videoinput'} kind
     */
    senderOf(kind) {
        const sent = kind === 'videoinput' ? this.screenTrack ?? this.videoTrack : this.audioTrack;
        return this.pc.getTransceivers().find((t) => sent !== null && t.sender.track === sent)
            ?? this.transceiverOf(kind === 'videoinput' ? 'video' : 'audio');
    }

    /**
     * Plays the other side's sound on this speaker, where the browser lets a page choose.
     * @param {string} deviceId
     * @returns {Promise<boolean>}
     */
    async setSpeaker(deviceId) {
        const video = this.remoteVideo;
        if (!video || typeof video.setSinkId !== 'function') {
            return false;
        }

        try {
            await video.setSinkId(deviceId);
            setInUse('audiooutput', deviceId);
            return true;
        } catch (e) {
            console.debug('webrtc-call: the speaker could not be used', e);
            announce('audiooutput', 'failed');
            return false;
        }
    }

    /**
     * Uses the device picked, in place of the one in use: one device at a time, after local media is settled.
     * @param {string} kind
     * @param {string} deviceId
     * @returns {Promise<boolean>} whether it is in use now
     */
    switchDevice(kind, deviceId) {
        const work = this.deviceWork.then(() => this.switchNow(kind, deviceId));
        this.deviceWork = work.catch(() => undefined);
        return work.catch((e) => {
            console.debug('webrtc-call: the device switch failed', e);
            return false;
        });
    }

    /**
     * @param {string} kind
     * @param {string} deviceId
     * @returns {Promise<boolean>}
     */
    async switchNow(kind, deviceId) {
        if (this.closed || typeof deviceId !== 'string' || deviceId.length === 0 || deviceId.length > 256) {
            return false;
        }

        if (kind === 'audiooutput') {
            return this.setSpeaker(deviceId);
        }

        if (kind !== 'audioinput' && kind !== 'videoinput') {
            return false;
        }

        const current = kind === 'videoinput' ? this.videoTrack : this.audioTrack;
        if (current?.readyState === 'live' && current.getSettings().deviceId === deviceId) {
            return true;
        }

        let track = await this.open(kind, deviceId);
        if (!track && this.lastOpenError === 'NotReadableError' && current?.readyState === 'live' && !this.closed) {
            // Many phones run one camera at a time: the one in use goes first, and comes back if the other cannot.
            const previous = current.getSettings().deviceId;
            current.onended = null;
            current.stop();
            track = await this.open(kind, deviceId) ?? (previous ? await this.open(kind, previous) : null);
            if (track && track.getSettings().deviceId !== deviceId) {
                announce(kind, 'failed');
            }

            if (!track) {
                await this.deviceLost(current); // neither: as if it had been unplugged
                return false;
            }
        } else if (!track) {
            announce(kind, 'failed');
            setInUse(kind, current?.getSettings().deviceId ?? null); // the list shows what is still in use
            return false;
        }

        return await this.useTrack(kind, track) && track.getSettings().deviceId === deviceId;
    }

    /**
     * A track of this exact device, or null when it cannot start (gone, busy, refused).
     * @param {'audioinput' | 'videoinput'} kind
     * @param {string} deviceId
     * @returns {Promise<MediaStreamTrack | null>}
     */
    async open(kind, deviceId) {
        const constraints = { deviceId: { exact: deviceId } };
        this.lastOpenError = null;
        try {
            const stream = await navigator.mediaDevices.getUserMedia(kind === 'videoinput'
                ? { video: { ...VIDEO_CONSTRAINTS, ...constraints } }
                : { audio: constraints });
            const track = (kind === 'videoinput' ? stream.getVideoTracks() : stream.getAudioTracks())[0] ?? null;
            stream.getTracks().filter((t) => t !== track).forEach((t) => t.stop());
            if (this.closed) {
                track?.stop(); // granted after the call ended
                return null;
            }

            return track;
        } catch (e) {
            this.lastOpenError = errorName(e);
            console.debug(`webrtc-call: ${kind} ${deviceId.slice(0, 8)}… did not start`, e);
            return null;
        }
    }

    /**
     * Sends this track in place of the one of its kind, on the same sender (replaceTrack: no renegotiation, unless
     * this side had no device of that kind at the start), keeping mute and camera off; the old track stops. While the
     * screen is shared the screen stays on the sender, and the new camera is what Stop sharing brings back.
     * @param {'audioinput' | 'videoinput'} kind
     * @param {MediaStreamTrack} track
     * @returns {Promise<boolean>}
     */
    async useTrack(kind, track) {
        const video = kind === 'videoinput';
        const old = video ? this.videoTrack : this.audioTrack;
        const transceiver = this.senderOf(kind);
        if (this.closed || !transceiver) {
            track.stop();
            return false;
        }

        track.enabled = old ? old.enabled : true;
        if (!(video && this.screenTrack)) {
            if (transceiver.direction === 'recvonly' || transceiver.direction === 'inactive') {
                transceiver.direction = 'sendrecv'; // a first device of this kind: it needs a way out, and one renegotiation
            }

            await transceiver.sender.replaceTrack(track);
        }

        if (video) {
            this.videoTrack = track;
            this.openedForScreen = false; // a camera now: Stop sharing brings it back, on the open transceiver
        } else {
            this.audioTrack = track;
        }

        if (old) {
            old.onended = null;
            old.stop();
        }

        this.follow(track);
        this.stream = new MediaStream([this.audioTrack, this.videoTrack].filter((t) => t !== null));
        if (this.localVideo && !this.screenTrack) {
            this.localVideo.srcObject = this.stream;
        }

        this.showFacing();
        setInUse(kind, track.getSettings().deviceId ?? null);
        this.reportMedia();
        return true;
    }

    /**
     * An unplugged device ends its track: another of its kind takes over (the one last chosen first), or, when
     * there is none, the call goes on without it and the person is told.
     * @param {MediaStreamTrack} track
     */
    follow(track) {
        track.onended = () => {
            this.deviceWork = this.deviceWork.then(() => this.deviceLost(track))
                .catch((e) => console.debug('webrtc-call: no device took over', e));
        };
    }

    /** @param {MediaStreamTrack} lost */
    async deviceLost(lost) {
        const kind = lost.kind === 'video' ? 'videoinput' : 'audioinput';
        if (this.closed || lost !== (kind === 'videoinput' ? this.videoTrack : this.audioTrack)) {
            return; // replaced meanwhile
        }

        // The lost device, and its other names ("default" shares its group), may still be listed for a moment.
        const { deviceId, groupId } = lost.getSettings();
        const chosen = chosenDevice(kind);
        const others = (await listDevices())
            .filter((d) => d.kind === kind && d.deviceId && d.deviceId !== deviceId && !(groupId && d.groupId === groupId))
            .sort((a, b) => Number(b.deviceId === chosen) - Number(a.deviceId === chosen));
        for (const device of others) {
            const track = await this.open(kind, device.deviceId);
            if (track && await this.useTrack(kind, track)) {
                announce(kind, 'switched', track.label || device.label);
                return;
            }
        }

        if (this.closed) {
            return;
        }

        const transceiver = this.senderOf(kind);
        if (transceiver && !(kind === 'videoinput' && this.screenTrack)) {
            await transceiver.sender.replaceTrack(null); // the same sender, still negotiated, for a device plugged in later
        }

        lost.onended = null;
        if (kind === 'videoinput') {
            this.videoTrack = null;
        } else {
            this.audioTrack = null;
        }

        this.stream = new MediaStream([this.audioTrack, this.videoTrack].filter((t) => t !== null));
        if (this.localVideo && !this.screenTrack) {
            this.localVideo.srcObject = this.stream;
        }

        setInUse(kind, null);
        announce(kind, 'none');
        this.reportMedia();
    }

    /** Tells .NET what this side sends now, when that changed (a device lost, or one plugged in after none). */
    reportMedia() {
        const media = [this.audioTrack !== null, this.videoTrack !== null];
        if (media[0] !== this.reportedMedia[0] || media[1] !== this.reportedMedia[1]) {
            this.reportedMedia = media;
            this.send('OnLocalMediaChanged', media[0], media[1]);
        }
    }

    /** A camera facing away from the person is not shown as a mirror. */
    showFacing() {
        this.localVideo?.classList.toggle('rear', this.videoTrack?.getSettings().facingMode === 'environment');
    }

    /**
     * Shares the screen in place of the camera, on the same sender (replaceTrack): no renegotiation unless there was
     * no camera to replace. The browser's own "Stop sharing" brings the camera back too.
     * @returns {Promise<boolean>}
     */
    async startScreenShare() {
        const transceiver = this.videoTransceiver();
        if (this.closed || this.screenTrack || !transceiver || typeof navigator.mediaDevices?.getDisplayMedia !== 'function') {
            return false;
        }

        /** @type {MediaStream} */
        let screen;
        try {
            screen = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
        } catch (e) {
            console.debug('webrtc-call: the screen was not shared', e);
            return false;
        }

        const track = screen.getVideoTracks()[0];
        if (!track || this.closed) {
            screen.getTracks().forEach((t) => t.stop());
            return false;
        }

        if (transceiver.direction === 'recvonly') {
            transceiver.direction = 'sendrecv'; // no camera: the screen needs a way out, and one renegotiation
            this.openedForScreen = true;
        }

        await transceiver.sender.replaceTrack(track);
        this.screenTrack = track;
        track.onended = () => {
            void this.stopScreenShare().then((stopped) => stopped && this.send('OnScreenShareEnded'));
        };
        if (this.localVideo) {
            this.localVideo.srcObject = screen;
            this.localVideo.classList.add('sharing'); // a screen is not mirrored
        }

        return true;
    }

    /** @returns {Promise<boolean>} */
    async stopScreenShare() {
        const track = this.screenTrack;
        const transceiver = this.videoTransceiver();
        if (!track) {
            return false;
        }

        this.screenTrack = null;
        track.onended = null;
        track.stop();
        if (!this.closed && transceiver) {
            await transceiver.sender.replaceTrack(this.videoTrack);
            if (!this.videoTrack && this.openedForScreen) {
                transceiver.direction = 'recvonly';
                this.openedForScreen = false;
            }
        }

        if (this.localVideo) {
            this.localVideo.srcObject = this.stream;
            this.localVideo.classList.remove('sharing');
        }

        return true;
    }

    /** @returns {Promise<boolean>} whether the remote video is full screen now */
    async toggleFullscreen() {
        try {
            if (document.fullscreenElement) {
                await document.exitFullscreen();
            } else {
                await this.remoteVideo?.requestFullscreen();
            }
        } catch (e) {
            console.debug('webrtc-call: full screen refused', e);
        }

        return document.fullscreenElement !== null && document.fullscreenElement === this.remoteVideo;
    }

    /** @returns {Promise<boolean>} whether the remote video is picture-in-picture now */
    async togglePictureInPicture() {
        try {
            if (document.pictureInPictureElement) {
                await document.exitPictureInPicture();
            } else {
                await this.remoteVideo?.requestPictureInPicture();
            }
        } catch (e) {
            console.debug('webrtc-call: picture-in-picture refused', e);
        }

        return document.pictureInPictureElement !== null && document.pictureInPictureElement === this.remoteVideo;
    }

    /** @returns {CallFeatures} */
    features() {
        return {
            screenShare: typeof navigator.mediaDevices?.getDisplayMedia === 'function',
            fullscreen: document.fullscreenEnabled === true,
            pictureInPicture: document.pictureInPictureEnabled === true,
        };
    }

    /**
     * @param {'audio' | 'video'} kind
     * @param {boolean} enabled
     * @returns {boolean}
     */
    setEnabled(kind, enabled) {
        const track = kind === 'audio' ? this.audioTrack : this.videoTrack;
        if (this.closed || !track) {
            return false;
        }

        track.enabled = enabled === true;
        return track.enabled;
    }

    /** @returns {Promise<SenderReport[]>} */
    async senderReport() {
        if (this.closed) {
            return [];
        }

        const report = await this.pc.getStats();
        return this.pc.getTransceivers().filter(isLive).map((t) => {
            const track = t.sender.track;
            /** @type {SenderReport} */
            const entry = {
                kind: t.receiver.track.kind, trackId: track?.id ?? null, deviceId: track?.getSettings().deviceId ?? null,
                label: track?.label ?? null, enabled: track?.enabled ?? null, sourceTrackId: null, framesSent: 0, bytesSent: 0,
            };
            report.forEach((/** @type {{ type: string, kind?: string, mediaSourceId?: string, framesSent?: number, bytesSent?: number }} */ stat) => {
                if (stat.type === 'outbound-rtp' && stat.kind === entry.kind) {
                    entry.framesSent += stat.framesSent ?? 0;
                    entry.bytesSent += stat.bytesSent ?? 0;
                    const source = stat.mediaSourceId ? report.get(stat.mediaSourceId) : undefined;
                    entry.sourceTrackId ??= source?.trackIdentifier ?? null;
                }
            });
            return entry;
        });
    }

    /** @returns {Promise<PeerStats>} */
    async stats() {
        /** @type {PeerStats} */
        const result = {
            framesDecoded: 0,
            bytesReceived: 0,
            localCandidateType: null,
            remoteCandidateType: null,
            localProtocol: null,
            relayProtocol: null,
            roundTripTime: null,
            packetsReceived: 0,
            packetsLost: 0,
            frameWidth: null,
            frameHeight: null,
            framesPerSecond: null,
            audioSamplesReceived: 0,
            restarts: this.restarts,
            signalingState: this.closed ? 'closed' : this.pc.signalingState,
            connectionState: this.closed ? 'closed' : this.pc.connectionState,
            audioEnabled: this.audioTrack ? this.audioTrack.enabled : null,
            videoEnabled: this.videoTrack ? this.videoTrack.enabled : null,
        };
        return this.closed ? result : Object.assign(result, summarizeStats(await this.pc.getStats()));
    }

    close() {
        if (this.closed) {
            return;
        }

        this.closed = true;
        this.stopFollowingChoices();
        this.pendingCandidates = [];
        this.outbox = [];
        this.chat?.close();
        this.screenTrack?.stop();
        this.screenTrack = null;
        for (const timer of [this.restartTimer, this.gatheringTimer]) {
            if (timer !== null) {
                clearTimeout(timer);
            }
        }
        const pc = this.pc;
        pc.onnegotiationneeded = pc.onicecandidate = pc.onconnectionstatechange = pc.oniceconnectionstatechange = pc.ontrack = null;
        pc.onicegatheringstatechange = pc.onicecandidateerror = null;
        for (const track of [...(this.stream?.getTracks() ?? []), this.audioTrack, this.videoTrack]) {
            if (track) {
                track.onended = null;
                track.stop();
            }
        }

        setInUse('audioinput', null);
        setInUse('videoinput', null);
        pc.close();
        if (this.localVideo) {
            this.localVideo.srcObject = null;
        }

        if (this.remoteVideo) {
            this.remoteVideo.srcObject = null;
        }
    }
}

/**
 * Creates the peer connection for one call and returns its handle at once; the camera and microphone are asked
 * for in the background (a permission prompt can stay open for minutes), reported through OnMediaStarted.
 * close() works at any time, and media granted after it is stopped at once.
 * @param {DotNetRef} dotNetRef
 * @param {HTMLVideoElement | null} localVideo
 * @param {HTMLVideoElement | null} remoteVideo
 * @param {PeerOptions} options
 * @param {HTMLElement | null} [chatRoot] the chat panel (see call-chat.js)
 * @returns {PeerHandle}
 */
export function createPeer(dotNetRef, localVideo, remoteVideo, options, chatRoot = null) {
    const peer = new Peer(dotNetRef, localVideo, remoteVideo, options, chatRoot);
    /** @type {PeerHandle} */
    const handle = Object.freeze({
        handleDescription(value) {
            const description = toDescription(value);
            if (description) {
                peer.enqueue('description', () => peer.receiveDescription(description));
            }
        },
        handleCandidate(value) {
            const candidate = toCandidate(value);
            if (candidate) {
                peer.enqueue('candidate', () => peer.receiveCandidate(candidate));
            }
        },
        setMicrophoneEnabled: (enabled) => peer.setEnabled('audio', enabled),
        setCameraEnabled: (enabled) => peer.setEnabled('video', enabled),
        switchDevice: (kind, deviceId) => peer.switchDevice(kind, deviceId),
        startScreenShare: () => peer.startScreenShare(),
        stopScreenShare: () => peer.stopScreenShare(),
        toggleFullscreen: () => peer.toggleFullscreen(),
        togglePictureInPicture: () => peer.togglePictureInPicture(),
        features: () => peer.features(),
        stats: () => peer.stats(),
        close() {
            openHandles.delete(handle);
            peer.close();
        },
    });
    openHandles.add(handle);
    senders.set(handle, () => peer.senderReport());
    return handle;
}

/**
 * Received video and the path in use (the selected candidate pair), from one getStats() report.
 * @param {RTCStatsReport} report
 * @returns {Omit<PeerStats, 'connectionState' | 'audioEnabled' | 'videoEnabled' | 'restarts' | 'signalingState'>}
 */
function summarizeStats(report) {
    /**
     * @typedef {{
     *   id: string, type: string, kind?: string, mediaType?: string, framesDecoded?: number, bytesReceived?: number,
     *   packetsReceived?: number, packetsLost?: number, frameWidth?: number, frameHeight?: number, framesPerSecond?: number,
     *   totalSamplesReceived?: number,
     *   selectedCandidatePairId?: string, nominated?: boolean, state?: string, currentRoundTripTime?: number,
     *   localCandidateId?: string, remoteCandidateId?: string, candidateType?: string, protocol?: string, relayProtocol?: string,
     * }} StatsEntry
     */
    let framesDecoded = 0;
    let bytesReceived = 0;
    let packetsReceived = 0;
    let packetsLost = 0;
    let audioSamplesReceived = 0;
    /** @type {StatsEntry | undefined} */
    let video;
    /** @type {string | undefined} */
    let selectedPairId;
    /** @type {StatsEntry | undefined} */
    let nominatedPair;
    report.forEach((/** @type {StatsEntry} */ entry) => {
        if (entry.type === 'inbound-rtp') {
            packetsReceived += entry.packetsReceived ?? 0;
            packetsLost += Math.max(0, entry.packetsLost ?? 0);
            if ((entry.kind ?? entry.mediaType) === 'video') {
                framesDecoded += entry.framesDecoded ?? 0;
                bytesReceived += entry.bytesReceived ?? 0;
                video ??= entry;
            } else if ((entry.kind ?? entry.mediaType) === 'audio') {
                audioSamplesReceived += entry.totalSamplesReceived ?? 0;
            }
        } else if (entry.type === 'transport' && entry.selectedCandidatePairId) {
            selectedPairId = entry.selectedCandidatePairId;
        } else if (entry.type === 'candidate-pair' && entry.nominated && entry.state === 'succeeded') {
            nominatedPair ??= entry;
        }
    });

    // Firefox has no transport entry, hence the nominated pair as a fallback.
    const pair = /** @type {StatsEntry | undefined} */ (selectedPairId ? report.get(selectedPairId) : undefined) ?? nominatedPair;
    /** @param {string | undefined} id @returns {StatsEntry | undefined} */
    const candidate = (id) => (id ? report.get(id) : undefined);
    const local = candidate(pair?.localCandidateId);
    return {
        framesDecoded,
        bytesReceived,
        localCandidateType: local?.candidateType ?? null,
        remoteCandidateType: candidate(pair?.remoteCandidateId)?.candidateType ?? null,
        localProtocol: local?.protocol ?? null,
        relayProtocol: local?.candidateType === 'relay' ? local.relayProtocol ?? null : null,
        roundTripTime: pair?.currentRoundTripTime ?? null,
        packetsReceived,
        packetsLost,
        frameWidth: video?.frameWidth ?? null,
        frameHeight: video?.frameHeight ?? null,
        framesPerSecond: video?.framesPerSecond ?? null,
        audioSamplesReceived,
    };
}

/**
 * What each open peer sends, for end-to-end tests: per kind, the track on the sender (its device and label, as the
 * browser reports them), and the sender's own reading of its media source (the track it reads frames from).
 * @returns {Promise<SenderReport[][]>}
 */
export function openPeerSenders() {
    return Promise.all([...openHandles].map((handle) => senders.get(handle)?.() ?? Promise.resolve([])));
}

/**
 * stats() of every peer not yet closed, for end-to-end tests that import this module in the page.
 * @returns {Promise<PeerStats[]>}
 */
export function openPeerStats() {
    return Promise.all([...openHandles].map((handle) => handle.stats()));
}
