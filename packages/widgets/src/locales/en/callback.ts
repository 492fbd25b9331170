// Strings of the callback panel. `{name}` placeholders are filled by the translator;
// a site may override any key in its config (`texts.en['callback.submit']`). The panel's
// title is the menu item's (`common.menu.callback`) unless `callback.title` is set there.
export default {
  'callback.intro': 'Leave your number and we will call you back.',
  'callback.nameLabel': 'Your name (optional)',
  'callback.phoneLabel': 'Phone number',
  'callback.phoneHint': 'For example {example}',
  'callback.phoneRequired': 'Enter your phone number.',
  'callback.phoneInvalid': 'Enter a phone number with 7 to 15 digits, for example {example}.',
  'callback.openNow': 'We are open: we will call you within {seconds}\u00a0s.',
  'callback.slotsLegend': 'We are closed now. When should we call you?',
  'callback.slotsHint': 'Times are shown in your time zone ({zone}).',
  'callback.noSlots': 'We are closed now and will call you as soon as we open.',
  'callback.consentLabel': 'I agree that my phone number is used to call me back about this request.',
  'callback.consentRequired': 'Tick this box so that we may call you.',
  'callback.submit': 'Call me back',
  'callback.sending': 'Sending…',
  'callback.successTitle': 'Thank you!',
  'callback.successNow': 'We will call {phone} within {seconds}\u00a0seconds.',
  'callback.calling': 'We are calling you now.',
  'callback.successScheduled': 'We will call {phone} at {time}.',
  'callback.pendingOffline': 'You are offline. Your request is saved on this device and will be sent as soon as you are back online.',
  'callback.failed': 'Your request was not accepted: {reason}',
  'callback.honeypotLabel': 'Leave this field empty',
} satisfies Record<string, string>;
