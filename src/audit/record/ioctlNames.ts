// The ioctl request names `ausearch -i` prints for `ioctlcmd=` and the numbers
// they stand for, so that an interpreted log gives the same allowxperm rules as
// the raw one. The pairs are those of audit userspace's table (auparse,
// ioctlreqtab.h: "not comprehensive, just some cherry picked ioctls"; the same
// in 3.0.9 and in 4.x). It prints a name only for a number in the table and
// `0x...` for any other, so names not listed here never come from ausearch.
// This file does not read raw logs: there `ioctlcmd` is hex, as the kernel
// writes it.

/** Request numbers by the name ausearch prints, as the table has them (some are 32-bit). */
export const IOCTL_REQUEST_NUMBERS: Readonly<Record<string, number>> = Object.freeze({
  // include/uapi/linux/kd.h
  KDSETMODE: 0x4b3a,
  KDGETMODE: 0x4b3b,
  // include/uapi/linux/cdrom.h
  CDROMEJECT: 0x5309,
  CDROMEJECT_SW: 0x530f,
  CDROM_GET_UPC: 0x5311,
  CDROMSEEK: 0x5316,
  // include/uapi/asm-generic/ioctls.h: terminals
  TCGETS: 0x5401,
  TCSETS: 0x5402,
  TCSETSW: 0x5403,
  TCSETSF: 0x5404,
  TCSBRK: 0x5409,
  TCFLSH: 0x540b,
  TIOCSCTTY: 0x540e,
  TIOCGPGRP: 0x540f,
  TIOCSPGRP: 0x5410,
  TIOCGWINSZ: 0x5413,
  TIOCSWINSZ: 0x5414,
  TIOCINQ: 0x541b,
  FIONBIO: 0x5421,
  TIOCNOTTY: 0x5422,
  // sockets (include/uapi/linux/sockios.h, asm-generic/sockios.h)
  FIOSETOWN: 0x8901,
  FIOGETOWN: 0x8903,
  SIOCGIFNAME: 0x8910,
  SIOCGIFHWADDR: 0x8927,
  SIOCGIFINDEX: 0x8933,
  SIOCBRADDIF: 0x89a2,
  // 32-bit requests; the table lists TIOCSPTLCK twice (0x40045431 and
  // 0x80045431), which agree in the 16 bits an AVC carries.
  TIOCSPTLCK: 0x40045431,
  TIOCGPTN: 0x80045430,
  // include/uapi/drm/drm.h
  DRM_IOCTL_MODE_CURSOR: 0xc01c64a3,
  DRM_IOCTL_MODE_PAGE_FLIP: 0xc01864b0,
  DRM_IOCTL_MODE_DIRTYFB: 0xc01864b1,
});

/**
 * The `ioctlcmd` of an AVC for a name `ausearch -i` printed, or undefined for
 * a name it does not print. An AVC carries the low 16 bits of the request
 * (the kernel logs `cmd & 0xffff`), so that is what a name stands for.
 */
export function ioctlRequestNumber(name: string): number | undefined {
  const n = Object.hasOwn(IOCTL_REQUEST_NUMBERS, name) ? IOCTL_REQUEST_NUMBERS[name] : undefined;
  return n === undefined ? undefined : n & 0xffff;
}
