import CNcursesw
import Glibc
import TUIKit

/// Why the terminal could not be opened, with what to do about it.
public struct TerminalError: Error, CustomStringConvertible {
    public let description: String
}

/// The real terminal, through ncursesw: opens it correctly, copies canvases to it, decodes
/// keys, mouse and resize, and always restores it (on `close`, on Ctrl-C and on crash signals).
/// Use it from one thread only.
public final class Terminal {
    private let screen: OpaquePointer
    private var previous: Canvas? = nil
    private var pairs: [UInt16: Int16] = [:]
    private var isOpen = true
    /// Whether colours are used (the terminal has them and NO_COLOR is not set).
    public let colorsEnabled: Bool
    /// How long `readKey` waits for input, in milliseconds.
    public var inputTimeout: Int32 = 50

    /// Opens the terminal: UTF-8 locale, a real terminal on stdin and stdout, a known TERM.
    public init() throws(TerminalError) {
        setlocale(LC_ALL, "")
        let codeset = String(cString: rs_codeset())
        guard codeset.uppercased().filter({ $0 != "-" }) == "UTF8" else {
            throw TerminalError(description: "the locale's character set is \(codeset), not UTF-8; run with a UTF-8 locale, e.g. LANG=C.UTF-8")
        }
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw TerminalError(description: "the explorer needs a terminal on stdin and stdout; for screens without a terminal use --play FILE --dump DIR")
        }
        guard let term = getenv("TERM").map({ String(cString: $0) }), !term.isEmpty else {
            throw TerminalError(description: "TERM is not set; set it to your terminal type, e.g. TERM=xterm-256color")
        }
        guard let screen = newterm(term, rs_stdout(), rs_stdin()) else {
            throw TerminalError(description: "unknown terminal type TERM=\(term); set TERM to one your system knows, e.g. xterm-256color")
        }
        set_term(screen)
        // A terminal that cannot move the cursor (TERM=dumb, some serial consoles) cannot show a
        // full-screen view: say so instead of drawing garbage.
        guard rs_can_address_cursor() != 0 else {
            endwin()
            delscreen(screen)
            throw TerminalError(description: "TERM=\(term) cannot position the cursor, which the explorer needs; use a full-screen terminal (e.g. TERM=xterm-256color), or --play FILE --dump DIR for text screens")
        }
        self.screen = screen
        rs_install_restore_handlers()
        raw()
        noecho()
        nonl()
        keypad(rs_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        mousemask(rs_all_mouse_events(), nil)
        mouseinterval(0)
        let noColor = getenv("NO_COLOR").map { String(cString: $0) } ?? ""
        if has_colors() && noColor.isEmpty {
            start_color()
            use_default_colors()
            colorsEnabled = true
        } else {
            colorsEnabled = false
        }
        wtimeout(rs_stdscr(), inputTimeout)
    }

    deinit { close() }

    /// Restores the terminal; safe to call twice.
    public func close() {
        guard isOpen else { return }
        isOpen = false
        endwin()
        delscreen(screen)
        rs_remove_restore_handlers()
    }

    /// The screen size in cells.
    public var size: (width: Int, height: Int) {
        var h: Int32 = 0, w: Int32 = 0
        rs_getmaxyx(rs_stdscr(), &h, &w)
        return (Int(w), Int(h))
    }

    // MARK: input

    /// The next key, mouse event or resize, waiting at most `inputTimeout` ms (nil if none).
    public func readKey() -> Key? {
        var ch: wint_t = 0
        let result = wget_wch(rs_stdscr(), &ch)
        if result == KEY_CODE_YES { return decodeFunctionKey(Int32(ch)) }
        guard result == OK else { return nil }
        switch ch {
        case 27: return .escape
        case 10, 13: return .enter
        case 9: return .tab
        case 8, 127: return .backspace
        case 1...26: return .ctrl(Character(Unicode.Scalar(UInt8(ch) + 96)))
        case 0..<32: return nil
        default:
            guard let scalar = Unicode.Scalar(UInt32(ch)) else { return nil }
            return .char(Character(scalar))
        }
    }

    private func decodeFunctionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_IC: return .insert
        case KEY_BTAB: return .backTab
        case KEY_RESIZE:
            previous = nil
            let s = size
            return .resize(width: s.width, height: s.height)
        case KEY_MOUSE: return decodeMouse()
        case rs_key_f(1)...rs_key_f(24): return .function(Int(code - rs_key_f(0)))
        default: return nil
        }
    }

    private func decodeMouse() -> Key? {
        var event = MEVENT()
        guard getmouse(&event) == OK else { return nil }
        let state = event.bstate
        let kind: MouseEvent.Kind
        if state & rs_button4_pressed() != 0 {
            kind = .wheelUp
        } else if rs_button5_pressed() != 0 && state & rs_button5_pressed() != 0 {
            kind = .wheelDown
        } else if state & rs_button1_double_clicked() != 0 {
            kind = .doubleClick
        } else if state & (rs_button1_pressed() | rs_button1_clicked()) != 0 {
            kind = .click
        } else if state & (rs_button3_pressed() | rs_button3_clicked()) != 0 {
            kind = .rightClick
        } else {
            return nil
        }
        return .mouse(MouseEvent(kind, x: Int(event.x), y: Int(event.y)))
    }

    // MARK: output

    /// Copies `canvas` to the screen, writing only the cells that changed since the last
    /// call, then `doupdate`. A glyph whose width the C library sees differently is drawn as `?`
    /// so the cursor bookkeeping of ncurses and the canvas never disagree.
    public func present(_ canvas: Canvas) {
        let window = rs_stdscr()
        if let p = previous, p.width != canvas.width || p.height != canvas.height { previous = nil }
        if previous == nil { werase(window) }
        for y in 0..<canvas.height {
            for x in 0..<canvas.width {
                let cell = canvas[x, y]
                if let p = previous, p[x, y] == cell { continue }
                if cell.isContinuation { continue }
                write(cell, x: x, y: y, canvas: canvas)
            }
        }
        previous = canvas
        wnoutrefresh(window)
        doupdate()
    }

    private func write(_ cell: Cell, x: Int, y: Int, canvas: Canvas) {
        let style = colorsEnabled ? cell.style : cell.style.monochrome
        let pair = colorPair(style)
        let attributes = attributes(style)
        let scalars = Array(cell.glyph.text.unicodeScalars)
        guard let base = scalars.first, Int(rs_wcwidth(wchar_t(base.value))) == cell.glyph.width else {
            for dx in 0..<max(1, cell.glyph.width) { put([0x3F], x: x + dx, y: y, attributes, pair) }
            return
        }
        put(scalars.map { wchar_t($0.value) }, x: x, y: y, attributes, pair)
    }

    private func put(_ text: [wchar_t], x: Int, y: Int, _ attributes: attr_t, _ pair: Int16) {
        var characters = text + [0]
        var cc = cchar_t()
        guard setcchar(&cc, &characters, attributes, pair, nil) == OK else { return }
        mvwadd_wch(rs_stdscr(), Int32(y), Int32(x), &cc)
    }

    private func attributes(_ style: Style) -> attr_t {
        var a = rs_a_normal()
        if style.attributes.contains(.bold) { a |= rs_a_bold() }
        if style.attributes.contains(.reverse) { a |= rs_a_reverse() }
        if style.attributes.contains(.underline) { a |= rs_a_underline() }
        if style.attributes.contains(.dim) { a |= rs_a_dim() }
        return a
    }

    /// The colour pair for a style's colours, allocated on first use (pair 0 is the default).
    private func colorPair(_ style: Style) -> Int16 {
        guard colorsEnabled, style.foreground != .default || style.background != .default else { return 0 }
        let key = UInt16(style.foreground.rawValue) << 8 | UInt16(style.background.rawValue)
        if let pair = pairs[key] { return pair }
        let next = Int16(pairs.count + 1)
        guard Int32(next) < rs_color_pairs() else { return 0 }
        let fg = Int16(style.foreground.rawValue) - 1, bg = Int16(style.background.rawValue) - 1
        init_pair(next, fg, bg)
        pairs[key] = next
        return next
    }

    // MARK: the loop

    /// Runs `app` until it finishes: waits for input at most `inputTimeout` ms at a time (never
    /// spins), applies background results, and redraws after a change or a resize.
    public func run<App: InteractiveApp>(_ app: inout App) {
        var (width, height) = size
        app.receive(.resize(width: width, height: height))
        var dirty = true
        while !app.isFinished {
            if dirty {
                var canvas = Canvas(width: width, height: height)
                app.draw(on: &canvas)
                present(canvas)
                dirty = false
            }
            if let key = readKey() {
                var next: Key? = key
                // Take what is already typed before redrawing (pastes, key repeat), up to a bound.
                wtimeout(rs_stdscr(), 0)
                for _ in 0..<64 {
                    guard let k = next else { break }
                    if case .resize(let w, let h) = k { (width, height) = (w, h) }
                    app.receive(k)
                    if app.isFinished { break }
                    next = readKey()
                }
                wtimeout(rs_stdscr(), inputTimeout)
                dirty = true
            }
            if app.pollBackground() { dirty = true }
        }
    }
}
