// Strings of what the chat offers while nobody can answer: the "leave a message" form for a
// visitor without a conversation, the notice and contact capture above one.
export default {
  'away.intro': 'Nobody can answer right now. Leave a message and we will get back to you.',
  'away.name': 'Your name (optional)',
  'away.contact': 'Phone or e-mail',
  'away.message': 'Message',
  'away.submit': 'Send message',
  'away.required': 'Please fill in this field.',
  'away.badContact': 'Enter a phone number (for example +44 20 7946 0958) or an e-mail address.',
  'away.failed': 'The message could not be sent. Please try again.',
  'away.opens': 'We open {time}.',
  'away.reach': 'Phone or e-mail for our answer',
  'away.save': 'Save',
  'away.done': 'Thank you! We will get back to you soon.',
  'away.queued': 'Thank you! Your message is saved and will be sent when you are back online.',
} satisfies Record<string, string>;
