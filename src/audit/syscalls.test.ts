import { describe, expect, it } from 'vitest';
import { syscallName } from './syscalls.js';

describe('syscallName', () => {
  it('names x86_64 system calls and leaves others as numbers', () => {
    expect(syscallName('c000003e', '257')).toBe('openat');
    expect(syscallName('c000003e', '0')).toBe('read');
    expect(syscallName('c000003e', '83')).toBe('mkdir');
    expect(syscallName('c000003e', '99999')).toBe('99999');
    expect(syscallName('40000003', '195')).toBe('195');
    expect(syscallName(undefined, undefined)).toBeUndefined();
  });
});
