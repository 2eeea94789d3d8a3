namespace WebRtcChat.Components.Localization;

/// <summary>
/// The words of the visitor's page (the form, waiting, ringing, the call and every message a visitor can see), as
/// the keys of <c>VisitorText.resx</c> (English) and its German, French and Spanish translations. Through
/// <c>IStringLocalizer&lt;VisitorText&gt;</c>, in the language the browser asked for (<c>Accept-Language</c>), else
/// <c>Server.DefaultLanguage</c>. The host's console stays English.
/// </summary>
public sealed class VisitorText
{
    /// <summary>The languages the visitor's page speaks; the first is the one the keys are written in.</summary>
    public static readonly IReadOnlyList<string> Languages = ["en", "de", "fr", "es"];

    private VisitorText()
    {
    }

    /// <summary>"Video chat"</summary>
    public const string Title = nameof(Title);

    /// <summary>"Your name"</summary>
    public const string YourName = nameof(YourName);

    /// <summary>"Who would you like to reach?"</summary>
    public const string WhoToReach = nameof(WhoToReach);

    /// <summary>"Request chat"</summary>
    public const string RequestChat = nameof(RequestChat);

    /// <summary>"Please enter whom you would like to reach."</summary>
    public const string EnterWhom = nameof(EnterWhom);

    /// <summary>"Please enter your name."</summary>
    public const string NameMissing = nameof(NameMissing);

    /// <summary>"Please use at most {0} characters."</summary>
    public const string NameTooLong = nameof(NameTooLong);

    /// <summary>"The name contains characters that cannot be used."</summary>
    public const string NameUnusable = nameof(NameUnusable);

    /// <summary>"Please use at least one visible letter, digit or symbol in your name."</summary>
    public const string NameInvisible = nameof(NameInvisible);

    /// <summary>"This page is not opened over a secure connection, so the browser will not allow video calls. Please open it with https://."</summary>
    public const string NotSecure = nameof(NotSecure);

    /// <summary>"This browser cannot make video calls. Please use a recent Firefox, Chrome, Edge or Safari."</summary>
    public const string CannotCall = nameof(CannotCall);

    /// <summary>"Waiting…"</summary>
    public const string Waiting = nameof(Waiting);

    /// <summary>"Message from the host:"</summary>
    public const string MessageFromHost = nameof(MessageFromHost);

    /// <summary>"You asked for a chat {0} ago. Please keep this page open."</summary>
    public const string AskedAgo = nameof(AskedAgo);

    /// <summary>"Notify me when I am called"</summary>
    public const string NotifyMe = nameof(NotifyMe);

    /// <summary>"This browser will show a notification when the host calls."</summary>
    public const string WillNotify = nameof(WillNotify);

    /// <summary>"Cancel"</summary>
    public const string Cancel = nameof(Cancel);

    /// <summary>"{0} is calling"</summary>
    public const string IsCalling = nameof(IsCalling);

    /// <summary>"Answer"</summary>
    public const string Answer = nameof(Answer);

    /// <summary>"Decline"</summary>
    public const string Decline = nameof(Decline);

    /// <summary>"Call ended"</summary>
    public const string CallEnded = nameof(CallEnded);

    /// <summary>"Request again"</summary>
    public const string RequestAgain = nameof(RequestAgain);

    /// <summary>"This page is no longer available"</summary>
    public const string NoLongerAvailable = nameof(NoLongerAvailable);

    /// <summary>"The host is not available right now"</summary>
    public const string HostUnavailable = nameof(HostUnavailable);

    /// <summary>"The host says:"</summary>
    public const string HostSays = nameof(HostSays);

    /// <summary>"Your request is no longer in the list. Please request again."</summary>
    public const string NoLongerListed = nameof(NoLongerListed);

    /// <summary>"The call was answered in another tab."</summary>
    public const string AnsweredElsewhere = nameof(AnsweredElsewhere);

    /// <summary>"The call was interrupted. You are still waiting."</summary>
    public const string Interrupted = nameof(Interrupted);

    /// <summary>"Your browser could not start the call. A recent Firefox, Chrome, Edge or Safari can."</summary>
    public const string FailYourBrowser = nameof(FailYourBrowser);

    /// <summary>"{0}'s browser could not start the call."</summary>
    public const string FailTheirBrowser = nameof(FailTheirBrowser);

    /// <summary>"The browser's question about your camera and microphone was not answered."</summary>
    public const string FailYourQuestion = nameof(FailYourQuestion);

    /// <summary>"{0} did not answer the browser's question about the camera and microphone."</summary>
    public const string FailTheirQuestion = nameof(FailTheirQuestion);

    /// <summary>"Your network does not let the call through (it may allow only web pages)."</summary>
    public const string FailYourNetwork = nameof(FailYourNetwork);

    /// <summary>"The connection was lost and could not be restored."</summary>
    public const string FailLost = nameof(FailLost);

    /// <summary>"The connection between you could not be made."</summary>
    public const string FailOther = nameof(FailOther);

    /// <summary>"{0} You keep your place; {1} can try again."</summary>
    public const string FailKeepPlace = nameof(FailKeepPlace);

    /// <summary>"Call with {0}"</summary>
    public const string CallWith = nameof(CallWith);

    /// <summary>"Call time"</summary>
    public const string CallTime = nameof(CallTime);

    /// <summary>"Connection"</summary>
    public const string Connection = nameof(Connection);

    /// <summary>"Remote video"</summary>
    public const string RemoteVideo = nameof(RemoteVideo);

    /// <summary>"Your camera"</summary>
    public const string YourCamera = nameof(YourCamera);

    /// <summary>"Mute"</summary>
    public const string Mute = nameof(Mute);

    /// <summary>"Unmute"</summary>
    public const string Unmute = nameof(Unmute);

    /// <summary>"Camera off"</summary>
    public const string CameraOff = nameof(CameraOff);

    /// <summary>"Camera on"</summary>
    public const string CameraOn = nameof(CameraOn);

    /// <summary>"Share screen"</summary>
    public const string ShareScreen = nameof(ShareScreen);

    /// <summary>"Stop sharing"</summary>
    public const string StopSharing = nameof(StopSharing);

    /// <summary>"Full screen"</summary>
    public const string FullScreen = nameof(FullScreen);

    /// <summary>"Picture in picture"</summary>
    public const string PictureInPicture = nameof(PictureInPicture);

    /// <summary>"Hang up"</summary>
    public const string HangUp = nameof(HangUp);

    /// <summary>"Chat"</summary>
    public const string Chat = nameof(Chat);

    /// <summary>"Chat, {0} unread"</summary>
    public const string ChatUnread = nameof(ChatUnread);

    /// <summary>"Chat messages"</summary>
    public const string ChatMessages = nameof(ChatMessages);

    /// <summary>"Message"</summary>
    public const string Message = nameof(Message);

    /// <summary>"Send"</summary>
    public const string Send = nameof(Send);

    /// <summary>"Connected with {0}"</summary>
    public const string ConnectedWith = nameof(ConnectedWith);

    /// <summary>"Reconnecting…"</summary>
    public const string Reconnecting = nameof(Reconnecting);

    /// <summary>"The connection failed."</summary>
    public const string ConnectionFailed = nameof(ConnectionFailed);

    /// <summary>"Connecting to {0}…"</summary>
    public const string ConnectingTo = nameof(ConnectingTo);

    /// <summary>"This browser could not start the call."</summary>
    public const string BrowserCouldNotStart = nameof(BrowserCouldNotStart);

    /// <summary>"Camera and microphone are blocked. Allow them in the browser's address bar and call again; the other side can still see and hear nothing from you."</summary>
    public const string MediaBlocked = nameof(MediaBlocked);

    /// <summary>"No camera or microphone was found. You can still see and hear the other side."</summary>
    public const string NoMedia = nameof(NoMedia);

    /// <summary>"No camera was found: audio only."</summary>
    public const string NoCamera = nameof(NoCamera);

    /// <summary>"{0} did not allow the camera and microphone."</summary>
    public const string TheyDenied = nameof(TheyDenied);

    /// <summary>"{0} has no camera or microphone."</summary>
    public const string TheyHaveNoMedia = nameof(TheyHaveNoMedia);

    /// <summary>"{0} has no camera; audio only."</summary>
    public const string TheyHaveNoCamera = nameof(TheyHaveNoCamera);

    /// <summary>"Direct"</summary>
    public const string PathDirect = nameof(PathDirect);

    /// <summary>"Relayed"</summary>
    public const string PathRelayed = nameof(PathRelayed);

    /// <summary>"{0} ms"</summary>
    public const string RoundTrip = nameof(RoundTrip);

    /// <summary>"{0:0.#}% loss"</summary>
    public const string Loss = nameof(Loss);

    /// <summary>"{0}×{1}"</summary>
    public const string VideoSize = nameof(VideoSize);

    /// <summary>"{0}×{1} at {2} fps"</summary>
    public const string VideoSizeAndRate = nameof(VideoSizeAndRate);

    /// <summary>"📞 Incoming call"</summary>
    public const string RingTitle = nameof(RingTitle);

    /// <summary>"Incoming video call"</summary>
    public const string NotificationTitle = nameof(NotificationTitle);

    /// <summary>"Open the chat page to answer."</summary>
    public const string NotificationBody = nameof(NotificationBody);

    // The device picker (Calls/DevicePicker); {0} is a number or a device's name as the browser gives it.

    /// <summary>"Devices"</summary>
    public const string Devices = nameof(Devices);

    /// <summary>"Camera"</summary>
    public const string CameraList = nameof(CameraList);

    /// <summary>"Microphone"</summary>
    public const string MicrophoneList = nameof(MicrophoneList);

    /// <summary>"Speaker"</summary>
    public const string SpeakerList = nameof(SpeakerList);

    /// <summary>"Allow camera and microphone to see their names"</summary>
    public const string AllowDeviceNames = nameof(AllowDeviceNames);

    /// <summary>"Camera {0}"</summary>
    public const string UnnamedCamera = nameof(UnnamedCamera);

    /// <summary>"Microphone {0}"</summary>
    public const string UnnamedMicrophone = nameof(UnnamedMicrophone);

    /// <summary>"Speaker {0}"</summary>
    public const string UnnamedSpeaker = nameof(UnnamedSpeaker);

    /// <summary>"The camera was disconnected. Now using {0}."</summary>
    public const string CameraSwitched = nameof(CameraSwitched);

    /// <summary>"The microphone was disconnected. Now using {0}."</summary>
    public const string MicrophoneSwitched = nameof(MicrophoneSwitched);

    /// <summary>"The camera was disconnected and there is no other: the call goes on without your picture."</summary>
    public const string NoOtherCamera = nameof(NoOtherCamera);

    /// <summary>"The microphone was disconnected and there is no other: the call goes on without your sound."</summary>
    public const string NoOtherMicrophone = nameof(NoOtherMicrophone);

    /// <summary>"That camera could not start. It may be in use by another app."</summary>
    public const string CameraFailed = nameof(CameraFailed);

    /// <summary>"That microphone could not start. It may be in use by another app."</summary>
    public const string MicrophoneFailed = nameof(MicrophoneFailed);

    /// <summary>"That speaker could not be used."</summary>
    public const string SpeakerFailed = nameof(SpeakerFailed);
}
