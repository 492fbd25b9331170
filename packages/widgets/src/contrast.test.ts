import { expect, test } from 'vitest';
import { contrastRatio, readableTextColor } from './contrast';

test('measures contrast as WCAG defines it', () => {
  expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
  expect(contrastRatio('#fff', '#ffffff')).toBeCloseTo(1, 5);
  expect(contrastRatio('#2563eb', '#ffffff')).toBeCloseTo(5.17, 2);
});

test('keeps the configured text colour when it is readable on the primary colour', () => {
  expect(readableTextColor('#2563eb', '#ffffff')).toBe('#ffffff');
  expect(readableTextColor('#1e293b', '#fde68a')).toBe('#fde68a');
});

test('switches to black or white text when the configured pair fails 4.5:1', () => {
  expect(readableTextColor('#facc15', '#ffffff')).toBe('#000000');
  expect(readableTextColor('#7c3aed', '#a78bfa')).toBe('#ffffff');
});
