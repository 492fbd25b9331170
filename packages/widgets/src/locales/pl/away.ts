// Teksty tego, co czat proponuje, gdy nikt nie może odpowiedzieć: formularz „zostaw wiadomość”
// dla odwiedzającego bez rozmowy, komunikat i pole na kontakt nad rozmową.
export default {
  'away.intro': 'Nikt nie może teraz odpowiedzieć. Zostaw wiadomość, a odezwiemy się do Ciebie.',
  'away.name': 'Imię (opcjonalnie)',
  'away.contact': 'Telefon lub e-mail',
  'away.message': 'Wiadomość',
  'away.submit': 'Wyślij wiadomość',
  'away.required': 'Wypełnij to pole.',
  'away.badContact': 'Podaj numer telefonu (np. +48 22 123 45 67) lub adres e-mail.',
  'away.failed': 'Nie udało się wysłać wiadomości. Spróbuj ponownie.',
  'away.opens': 'Otwieramy {time}.',
  'away.reach': 'Telefon lub e-mail do odpowiedzi',
  'away.save': 'Zapisz',
  'away.done': 'Dziękujemy! Wkrótce się odezwiemy.',
  'away.queued': 'Dziękujemy! Wiadomość została zapisana i zostanie wysłana po odzyskaniu połączenia.',
} satisfies Record<string, string>;
