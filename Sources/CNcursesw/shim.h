// ncursesw for Swift: the wide-character API plus small `rs_` shims for the macros and
// globals Swift cannot import (function-like macros, mutable globals that Swift 6 rejects).
#ifndef RECSCOPE_CNCURSESW_SHIM_H
#define RECSCOPE_CNCURSESW_SHIM_H

#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// MARK: globals

static inline WINDOW *rs_stdscr(void) { return stdscr; }
static inline int rs_lines(void) { return LINES; }
static inline int rs_cols(void) { return COLS; }
static inline int rs_colors(void) { return COLORS; }
static inline int rs_color_pairs(void) { return COLOR_PAIRS; }
static inline FILE *rs_stdin(void) { return stdin; }
static inline FILE *rs_stdout(void) { return stdout; }
static inline FILE *rs_stderr(void) { return stderr; }
static inline void rs_getmaxyx(WINDOW *win, int *height, int *width) {
    int h, w;
    getmaxyx(win, h, w);
    *height = h;
    *width = w;
}

// MARK: attributes and colours

static inline attr_t rs_a_normal(void) { return A_NORMAL; }
static inline attr_t rs_a_bold(void) { return A_BOLD; }
static inline attr_t rs_a_dim(void) { return A_DIM; }
static inline attr_t rs_a_reverse(void) { return A_REVERSE; }
static inline attr_t rs_a_underline(void) { return A_UNDERLINE; }
static inline int rs_color_pair(int pair) { return (int)COLOR_PAIR(pair); }

// MARK: line-drawing characters (the alternate character set, wide variant)

static inline const cchar_t *rs_wacs_hline(void) { return WACS_HLINE; }
static inline const cchar_t *rs_wacs_vline(void) { return WACS_VLINE; }
static inline const cchar_t *rs_wacs_ulcorner(void) { return WACS_ULCORNER; }
static inline const cchar_t *rs_wacs_urcorner(void) { return WACS_URCORNER; }
static inline const cchar_t *rs_wacs_llcorner(void) { return WACS_LLCORNER; }
static inline const cchar_t *rs_wacs_lrcorner(void) { return WACS_LRCORNER; }

// MARK: keys and mouse

static inline int rs_key_f(int n) { return KEY_F(n); }
static inline mmask_t rs_all_mouse_events(void) { return ALL_MOUSE_EVENTS; }
static inline mmask_t rs_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t rs_button1_released(void) { return BUTTON1_RELEASED; }
static inline mmask_t rs_button1_clicked(void) { return BUTTON1_CLICKED; }
static inline mmask_t rs_button1_double_clicked(void) { return BUTTON1_DOUBLE_CLICKED; }
static inline mmask_t rs_button3_pressed(void) { return BUTTON3_PRESSED; }
static inline mmask_t rs_button3_clicked(void) { return BUTTON3_CLICKED; }
static inline mmask_t rs_button4_pressed(void) { return BUTTON4_PRESSED; }
static inline mmask_t rs_button5_pressed(void) {
#ifdef BUTTON5_PRESSED
    return BUTTON5_PRESSED;
#else
    return 0;
#endif
}

// MARK: locale and width

static inline const char *rs_codeset(void) { return nl_langinfo(CODESET); }
static inline int rs_wcwidth(wchar_t c) { return wcwidth(c); }

// MARK: restoring the terminal on fatal signals

/// Restores the terminal, then lets the signal's default action run (termination, core dump).
static void rs_restore_and_reraise(int sig) {
    endwin();
    signal(sig, SIG_DFL);
    raise(sig);
}

/// Installs `rs_restore_and_reraise` for SIGINT, SIGTERM, SIGHUP and the crash signals.
static inline void rs_install_restore_handlers(void) {
    static const int signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGABRT, SIGBUS, SIGILL, SIGFPE, SIGTRAP};
    struct sigaction action;
    action.sa_handler = rs_restore_and_reraise;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND;
    for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        sigaction(signals[i], &action, NULL);
    }
}

/// Puts the default actions back once the terminal is restored normally.
static inline void rs_remove_restore_handlers(void) {
    static const int signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGABRT, SIGBUS, SIGILL, SIGFPE, SIGTRAP};
    for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        signal(signals[i], SIG_DFL);
    }
}

/// 1 when the current terminal has cursor addressing (terminfo `cup`), else 0.
static inline int rs_can_address_cursor(void) {
    char *cup = tigetstr("cup");
    return cup != NULL && cup != (char *)-1 && cup[0] != '\0';
}

#endif
