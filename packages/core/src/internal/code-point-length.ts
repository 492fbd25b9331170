/** Length in Unicode code points (an emoji counts once), as zod measures strings. */
export const codePointLength = (value: string): number => [...value].length;
