// One open suggestion per pair of contacts and reason, whichever side raised it:
// repeated evidence used to add a row each time.
export const mergeSuggestionPairs = `
delete from merge_suggestions s using merge_suggestions t
 where s.state = 'open' and t.state = 'open' and s.site_id = t.site_id and s.reason = t.reason
   and least(s.a_contact_id, s.b_contact_id) = least(t.a_contact_id, t.b_contact_id)
   and greatest(s.a_contact_id, s.b_contact_id) = greatest(t.a_contact_id, t.b_contact_id)
   and s.id > t.id;
create unique index merge_suggestions_open_pair on merge_suggestions
  (site_id, least(a_contact_id, b_contact_id), greatest(a_contact_id, b_contact_id), reason) where state = 'open';
`;
