/* tools/check-source, run on a small tree of its own: the layers stated in
 * the folders' READMEs hold, and an include that crosses them fails the
 * check with the file, the include and the rule named. */
#include "tests/support/test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char tree[512];

static void make_dir(const char *relative)
{
    char path[640];
    snprintf(path, sizeof path, "%s/%s", tree, relative);
    assert_true(mkdir(path, 0755) == 0);
}

static void write_at(const char *relative, const char *text)
{
    char dir[640];
    snprintf(dir, sizeof dir, "%s/%s", tree, relative);
    char *slash = strrchr(dir, '/');
    *slash = '\0';
    test_write_file(dir, slash + 1, text);
}

/* A tree like the product's: every top-level folder with its README, a base
 * that includes only itself, a ui that may include the base. */
static int set_up(void **state)
{
    (void)state;
    snprintf(tree, sizeof tree, "%s", test_make_temp_dir("check-source"));
    static const char *const folders[] = {"firmware", "ui",    "drivers", "assets", "offline-cache",
                                          "board",    "tests", "tools",   "docs"};
    for (size_t i = 0; i < sizeof folders / sizeof *folders; i++) {
        make_dir(folders[i]);
        char readme[64];
        snprintf(readme, sizeof readme, "%s/README.md", folders[i]);
        write_at(readme, "# folder\n\n**Owns** a part.\n");
    }
    make_dir("firmware/base");
    make_dir("firmware/app");
    write_at("firmware/base/README.md", "# base\n\n**May include** nothing outside "
                                        "`firmware/base/`.\n\n**Called by** all.\n");
    write_at("ui/README.md", "# ui\n\n**May include** `firmware/base/` and\nthe model "
                             "`drivers/printer/receipt.h`.\n\n**Called by** the app.\n");
    write_at("firmware/base/error.h", "#pragma once\n");
    write_at("firmware/base/error.c", "#include \"firmware/base/error.h\"\n");
    write_at("firmware/app/app.h", "#pragma once\n");
    write_at("ui/widget.c", "#include \"firmware/base/error.h\"\n#include \"ui/widget.h\"\n"
                            "#include \"drivers/printer/receipt.h\"\n#include <stdio.h>\n");
    write_at("ui/widget.h", "#pragma once\n");
    write_at("tests/test_any.c", "#include \"firmware/app/app.h\"\n");

    /* Its own repository: the check reads the files git knows. */
    char setup[1400];
    snprintf(setup, sizeof setup,
             "cp '%s/tools/check-source' '%s/tools/' && cd '%s' && git init -q . >/dev/null",
             test_source_dir(), tree, tree);
    assert_int_equal(system(setup), 0);
    return 0;
}

static int check(char *out, size_t size)
{
    char add[600];
    snprintf(add, sizeof add, "cd '%s' && git add -A", tree);
    assert_int_equal(system(add), 0);
    char script[600];
    snprintf(script, sizeof script, "%s/tools/check-source", tree);
    const char *argv[] = {script, NULL};
    char err[256];
    return test_run(argv, err, sizeof err, out, size);
}

static void a_tree_within_its_layers_passes(void **state)
{
    (void)state;
    char out[4096];
    assert_int_equal(check(out, sizeof out), 0);
    assert_non_null(strstr(out, "source rules: ok"));
}

static void the_base_including_the_app_fails(void **state)
{
    (void)state;
    write_at("firmware/base/log.c", "#include \"firmware/base/error.h\"\n"
                                    "#include \"firmware/app/app.h\"\n");
    char out[4096];
    assert_int_not_equal(check(out, sizeof out), 0);
    assert_non_null(strstr(out, "firmware/base/log.c includes \"firmware/app/app.h\""));
    assert_non_null(strstr(out, "firmware/base/README.md"));
    assert_null(strstr(out, "source rules: ok"));
}

static void the_ui_including_a_driver_beyond_its_rule_fails(void **state)
{
    (void)state;
    /* The receipt model is allowed by name; the printer driver is not. */
    write_at("ui/screen.c", "#include \"drivers/printer/printer.h\"\n");
    char out[4096];
    assert_int_not_equal(check(out, sizeof out), 0);
    assert_non_null(strstr(out, "ui/screen.c includes \"drivers/printer/printer.h\""));
    assert_null(strstr(out, "ui/widget.c"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(a_tree_within_its_layers_passes, set_up),
        cmocka_unit_test_setup(the_base_including_the_app_fails, set_up),
        cmocka_unit_test_setup(the_ui_including_a_driver_beyond_its_rule_fails, set_up),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
