// ncursesw, with the wide-character API visible to Swift.
//
// SwiftPM's pkgConfig would drop -D_XOPEN_SOURCE, and with it get_wch,
// mvaddwstr, cchar_t and setcchar; defining NCURSES_WIDECHAR here instead
// keeps them. Macros and global variables that do not import into Swift
// (or that Swift 6 rejects as unsafe) get small inline accessors below.
#ifndef FOLIO_CNCURSESW_SHIM_H
#define FOLIO_CNCURSESW_SHIM_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// wcwidth is only declared under _XOPEN_SOURCE; declare it for Swift directly.
extern int wcwidth(wchar_t c);
static inline int folio_wcwidth(unsigned int c) { return wcwidth((wchar_t)c); }

static inline WINDOW *folio_stdscr(void) { return stdscr; }
static inline int folio_lines(void) { return LINES; }
static inline int folio_cols(void) { return COLS; }
static inline int folio_colors(void) { return COLORS; }
static inline int folio_color_pairs(void) { return COLOR_PAIRS; }

#endif
