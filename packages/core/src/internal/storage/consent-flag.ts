/** The localStorage key of the consent choice (see docs/storage.md). */
export const consentFlagKey = (site: string) => `threadline:${site}:consent`;
