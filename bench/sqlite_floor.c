/* What SQLite itself costs: inserts pre-parsed rows, already in key order, through the C API with one
 * prepared statement (bind, step, reset per row), journal off, in one transaction. No parsing, no sorting.
 *
 *   cc -O2 bench/sqlite_floor.c -lsqlite3 -o /tmp/sqlite_floor
 *   /tmp/sqlite_floor DB ROWS interactions "CREATE TABLE interactions (...)" [PAGE_SIZE]  -- the catalog's DDL
 *   /tmp/sqlite_floor DB ROWS plain                                           -- 4 untyped columns, rowid
 *
 * Prints one line: seconds for the inserts, seconds for the commit. Rows mimic the import benchmark:
 * 20 interactions per user, ids scattered (source order is not key order), ratings 1-5. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static void check(int rc, sqlite3 *db, const char *what) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE) {
        fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(db));
        exit(1);
    }
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s DB ROWS interactions DDL | %s DB ROWS plain\n", argv[0], argv[0]);
        return 2;
    }
    const char *path = argv[1];
    long rows = atol(argv[2]);
    int interactions = strcmp(argv[3], "interactions") == 0;
    unlink(path);
    sqlite3 *db;
    check(sqlite3_open(path, &db), db, "open");
    if (interactions && argc > 5) {
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA page_size=%d;", atoi(argv[5]));
        check(sqlite3_exec(db, pragma, 0, 0, 0), db, "page size");
    }
    check(sqlite3_exec(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-131072;", 0, 0, 0), db, "pragma");
    const char *ddl = interactions ? argv[4] : "CREATE TABLE interactions(user TEXT, item TEXT, value REAL, ts REAL)";
    check(sqlite3_exec(db, ddl, 0, 0, 0), db, "create");
    const char *sql = interactions
        ? "INSERT INTO interactions(user, ts, id, item, value, session, seq) VALUES (?,?,?,?,?,?,?)"
        : "INSERT INTO interactions(user, item, value, ts) VALUES (?,?,?,?)";
    sqlite3_stmt *insert;
    check(sqlite3_prepare_v2(db, sql, -1, &insert, 0), db, "prepare");
    char user[24], item[24];
    double started = now();
    check(sqlite3_exec(db, "BEGIN", 0, 0, 0), db, "begin");
    for (long n = 0; n < rows; n++) {
        long u = n / 20, i = (n * 7919) % (rows / 50 + 1);
        double ts = 1600000000.0 + (double)(n % 20) * 240.0 + (double)u;
        if (interactions) {
            sqlite3_bind_int64(insert, 1, u);
            sqlite3_bind_double(insert, 2, ts);
            sqlite3_bind_int64(insert, 3, (n * 104729) % rows + 1);
            sqlite3_bind_int64(insert, 4, i);
            sqlite3_bind_double(insert, 5, (double)(n % 5 + 1));
            sqlite3_bind_int64(insert, 6, n / 5 + 1);
            sqlite3_bind_int64(insert, 7, (n * 104729) % rows + 2);
        } else {
            int ul = snprintf(user, sizeof user, "u%ld", u), il = snprintf(item, sizeof item, "i%ld", i);
            sqlite3_bind_text(insert, 1, user, ul, SQLITE_STATIC);
            sqlite3_bind_text(insert, 2, item, il, SQLITE_STATIC);
            sqlite3_bind_double(insert, 3, (double)(n % 5 + 1));
            sqlite3_bind_double(insert, 4, ts);
        }
        check(sqlite3_step(insert), db, "insert");
        sqlite3_reset(insert);
    }
    double inserted = now();
    sqlite3_finalize(insert);
    check(sqlite3_exec(db, "COMMIT", 0, 0, 0), db, "commit");
    double committed = now();
    sqlite3_close(db);
    printf("%.6f %.6f\n", inserted - started, committed - inserted);
    return 0;
}
