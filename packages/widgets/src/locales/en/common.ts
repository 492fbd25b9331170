// Strings of the launcher and the panel shell. `{name}` placeholders are filled by the
// translator; `.one`/`.other` (and `.few`/`.many`) are Intl.PluralRules forms of `{count}`.
export default {
  'common.launcher': 'Contact us',
  'common.unread.one': '{count} unread message',
  'common.unread.other': '{count} unread messages',
  'common.titleNew.one': '({count}) New message',
  'common.titleNew.other': '({count}) New messages',
  'common.menu': 'How would you like to contact us?',
  'common.menu.chat': 'Chat with us',
  'common.menu.callback': 'Request a call back',
  'common.menu.form': 'Send us a message',
  'common.close': 'Close',
  'common.dismiss': 'Dismiss',
  'common.loading': 'Loading…',
  'common.loadFailed': 'This could not be loaded. Check your connection and try again.',
  'common.retry': 'Try again',
} satisfies Record<string, string>;
