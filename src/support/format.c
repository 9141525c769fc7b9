/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include "format.h"

#include <stdint.h>

typedef struct sink {
  char *buffer;
  size_t capacity;
  size_t length;
} sink;

static void put(sink *out, char c) {
  if (out->capacity > 0u && out->length < out->capacity - 1u) {
    out->buffer[out->length] = c;
  }
  out->length++;
}

static void put_string(sink *out, const char *text) {
  if (text == NULL) {
    text = "(null)";
  }
  while (*text != '\0') {
    put(out, *text++);
  }
}

static void put_unsigned(sink *out, uint64_t value, unsigned base, unsigned width, char pad) {
  char digits[24];
  unsigned count = 0;
  do {
    unsigned digit = (unsigned)(value % base);
    digits[count++] = (char)(digit < 10u ? '0' + digit : 'a' + (digit - 10u));
    value /= base;
  } while (value != 0u);
  while (width > count) {
    put(out, pad);
    --width;
  }
  while (count > 0u) {
    put(out, digits[--count]);
  }
}

size_t OSBaremetal_FormatV(char *buffer, size_t capacity, const char *format, va_list args) {
  sink out = {buffer, capacity, 0};
  if (format == NULL) {
    format = "(null format)";
  }
  for (const char *p = format; *p != '\0'; ++p) {
    if (*p != '%') {
      put(&out, *p);
      continue;
    }
    ++p;
    char pad = ' ';
    unsigned width = 0;
    if (*p == '0') {
      pad = '0';
      ++p;
    }
    while (*p >= '0' && *p <= '9') {
      width = width * 10u + (unsigned)(*p - '0');
      ++p;
    }
    int is_long = 0;
    if (*p == 'l') {
      is_long = 1;
      ++p;
    }
    switch (*p) {
      case 's':
        put_string(&out, va_arg(args, const char *));
        break;
      case 'c':
        put(&out, (char)va_arg(args, int));
        break;
      case 'd': {
        int64_t value = is_long ? (int64_t)va_arg(args, long) : (int64_t)va_arg(args, int);
        uint64_t magnitude = (uint64_t)value;
        if (value < 0) {
          put(&out, '-');
          magnitude = 0u - magnitude;
        }
        put_unsigned(&out, magnitude, 10u, width, pad);
        break;
      }
      case 'u':
        put_unsigned(&out, is_long ? (uint64_t)va_arg(args, unsigned long) : va_arg(args, unsigned),
                     10u, width, pad);
        break;
      case 'x':
        put_unsigned(&out, is_long ? (uint64_t)va_arg(args, unsigned long) : va_arg(args, unsigned),
                     16u, width, pad);
        break;
      case 'p':
        put_string(&out, "0x");
        put_unsigned(&out, (uint64_t)(uintptr_t)va_arg(args, void *), 16u, 0u, ' ');
        break;
      case '%':
        put(&out, '%');
        break;
      case '\0':
        --p; /* a trailing '%': stop at the terminator */
        break;
      default:
        put(&out, '%');
        put(&out, *p);
        break;
    }
  }
  if (capacity > 0u) {
    buffer[out.length < capacity ? out.length : capacity - 1u] = '\0';
  }
  return out.length;
}

size_t OSBaremetal_Format(char *buffer, size_t capacity, const char *format, ...) {
  va_list args;
  va_start(args, format);
  size_t length = OSBaremetal_FormatV(buffer, capacity, format, args);
  va_end(args);
  return length;
}

size_t OSBaremetal_FormatHex(char *buffer, size_t capacity, const unsigned char *bytes, size_t count) {
  static const char digits[] = "0123456789abcdef";
  if (count > (SIZE_MAX - 1u) / 2u) {
    if (capacity > 0u) {
      buffer[0] = '\0';
    }
    return SIZE_MAX;
  }
  size_t length = 2u * count;
  if (capacity <= length) {
    if (capacity > 0u) {
      buffer[0] = '\0';
    }
    return length;
  }
  for (size_t i = 0; i < count; ++i) {
    buffer[2u * i] = digits[bytes[i] >> 4];
    buffer[2u * i + 1u] = digits[bytes[i] & 0x0Fu];
  }
  buffer[length] = '\0';
  return length;
}
