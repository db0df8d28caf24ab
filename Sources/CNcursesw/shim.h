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
#include <langinfo.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// wcwidth is only declared under _XOPEN_SOURCE; declare it for Swift directly.
extern int wcwidth(wchar_t c);
static inline int folio_wcwidth(unsigned int c) { return wcwidth((wchar_t)c); }

static inline WINDOW *folio_stdscr(void) { return stdscr; }
static inline WINDOW *folio_curscr(void) { return curscr; }
static inline int folio_lines(void) { return LINES; }
static inline int folio_cols(void) { return COLS; }
static inline int folio_colors(void) { return COLORS; }
static inline int folio_color_pairs(void) { return COLOR_PAIRS; }

static inline attr_t folio_a_normal(void) { return A_NORMAL; }
static inline attr_t folio_a_bold(void) { return A_BOLD; }
static inline attr_t folio_a_dim(void) { return A_DIM; }
static inline attr_t folio_a_underline(void) { return A_UNDERLINE; }
static inline attr_t folio_a_reverse(void) { return A_REVERSE; }
static inline attr_t folio_a_italic(void) { return A_ITALIC; }

/// One cell for add_wch: text (NUL-terminated), attributes, and a colour
/// pair passed through `opts` so that pairs above 32767 work.
static inline int folio_setcchar(cchar_t *cell, const wchar_t *text, attr_t attributes, int pair) {
    return setcchar(cell, text, attributes, 0, &pair);
}

// Mouse masks are macros built from NCURSES_MOUSE_MASK.
static inline mmask_t folio_mouse_all(void) { return ALL_MOUSE_EVENTS; }
static inline mmask_t folio_mouse_click(void) { return BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON1_RELEASED; }
static inline mmask_t folio_mouse_press(void) { return BUTTON1_PRESSED | BUTTON1_CLICKED; }
static inline mmask_t folio_mouse_wheel_up(void) { return BUTTON4_PRESSED; }
static inline mmask_t folio_mouse_wheel_down(void) { return BUTTON5_PRESSED; }

/// The codeset of the current locale ("UTF-8", "ANSI_X3.4-1968", …).
static inline const char *folio_codeset(void) { return nl_langinfo(CODESET); }

#endif
