/* Widgets: one struct, a class table per kind, and a tree.
 *
 * Every widget has a stable id, a role, its text, bounds in logical pixels,
 * state flags and an action (what a tap asks the app to do). The tree serves
 * drawing, hit-testing, tests (find by id, read what is shown) and, later,
 * accessibility and speech. A parent owns its children: destroying it destroys
 * them. Texts are owned copies, zeroed when freed. Main thread only. */
#ifndef KIOSK_UI_WIDGET_H
#define KIOSK_UI_WIDGET_H

#include "firmware/base/lang.h"
#include "ui/metrics.h"
#include "ui/text.h"
#include "ui/theme.h"

#include <SDL2/SDL.h>
#include <stdbool.h>
#include <stddef.h>

#define UI_ID_MAX 48

typedef enum ui_role {
    UI_ROLE_GROUP,   /* holds other widgets */
    UI_ROLE_HEADING, /* names a screen or a part of it */
    UI_ROLE_TEXT,    /* something to read */
    UI_ROLE_BUTTON,  /* something to tap */
    UI_ROLE_FIELD,   /* something typed into */
} ui_role;

enum {
    UI_FLAG_TAPPABLE = 1u << 0,
    UI_FLAG_PRESSED = 1u << 1,
    UI_FLAG_HIDDEN = 1u << 2,
    UI_FLAG_CHECKED = 1u << 4, /* ticked, or the choice made: speech says so too */
    UI_FLAG_FOCUSED = 1u << 5, /* the keypad's focus: the tree draws its ring */
    /* Its text is the citizen's (a name, a number, a balance): never said
     * through the speaker, and masked through headphones unless asked. */
    UI_FLAG_PERSONAL = 1u << 8,
    /* The same for its detail (a form row's value beside its label). */
    UI_FLAG_PERSONAL_DETAIL = 1u << 9,
};

/* What a tap on a widget asks of the app; action_arg says which one. */
typedef enum ui_action {
    UI_ACTION_NONE = 0,
    UI_ACTION_OPEN_SERVICE, /* arg: index in the catalog */
    UI_ACTION_SET_LANG,     /* arg: lang */
    UI_ACTION_HELP,
    UI_ACTION_SET_THEME, /* arg: ui_theme_id */
    UI_ACTION_HOME,
    UI_ACTION_PAGE,        /* arg: +1 or -1 */
    UI_ACTION_START,       /* the attract screen was touched */
    UI_ACTION_CONTINUE,    /* the citizen is still there */
    UI_ACTION_END_SESSION, /* the citizen is done */
    UI_ACTION_KEY,         /* arg: a character, or UI_KEY_DELETE / UI_KEY_CLEAR */
    UI_ACTION_BACK,        /* the previous step */
    UI_ACTION_NEXT,        /* the next step */
    UI_ACTION_CHOOSE,      /* arg: which of a step's choices (a rating's level) */
    UI_ACTION_EDIT_FIELD,  /* arg: the field's index on the form */
    UI_ACTION_TOGGLE,      /* arg: a checklist row's index */
    UI_ACTION_CANCEL,      /* the citizen abandons the service: wipe it and go home */
    UI_ACTION_INPUT_MODE,  /* arg: a keyboard's way of typing (ui_keyboard_mode) */
    UI_ACTION_STROKE,      /* a stroke drawn on a handwriting pad ended (its widget holds it) */
    UI_ACTION_DRAWN,       /* a finger lifted from a signature pad */
    /* Screen-reader mode on or off (the accessibility button). */
    UI_ACTION_ACCESSIBILITY,
    /* On the signature pad, from the keypad: confirmed by key, not drawn. */
    UI_ACTION_SIGN_BY_KEY,
    /* Louder (arg +1) or quieter (-1): the footer's volume, while reading aloud. */
    UI_ACTION_VOLUME,
    /* A staff or technician screen's item (arg: that screen's own item). */
    UI_ACTION_STAFF,
    /* Staff or a technician signs out. */
    UI_ACTION_SIGN_OUT,
} ui_action;

#define UI_KEY_DELETE 8
#define UI_KEY_CLEAR  127

/* What drawing needs. */
typedef struct ui_context {
    SDL_Renderer *renderer;
    ui_text *text;
    const ui_theme *theme;
    ui_metrics metrics;
    lang language;
} ui_context;

typedef struct ui_widget ui_widget;

/* One text a widget shows: what, in which font and style, and the box it is
 * drawn in (aligned horizontally, centred vertically, clipped to the box). */
typedef struct ui_text_part {
    const char *text;
    lang language;
    ui_text_style style;
    SDL_Rect box;
    ui_align align;
} ui_text_part;

#define UI_TEXT_PARTS_MAX 3 /* a tile: its name, summary and icon */

/* A finger on a widget that follows it (a handwriting or signature pad):
 * down where it touched, each move, and up where it left. */
/* Whether a keypad (and speech moving with it) can reach a widget of a class. */
typedef enum ui_focus {
    UI_FOCUS_NEVER = 0,     /* decoration, text, groups */
    UI_FOCUS_WHEN_TAPPABLE, /* buttons, tiles, rows: while they take a tap */
    UI_FOCUS_ALWAYS,        /* fields typed into */
} ui_focus;

/* A finger's way across a widget that follows it (ui_widget_class.follow). */
typedef enum ui_follow {
    UI_FOLLOW_DOWN,
    UI_FOLLOW_MOVE,
    UI_FOLLOW_UP,
} ui_follow;

typedef struct ui_widget_class {
    const char *name;
    ui_role role;
    ui_focus focus;
    /* Background and decoration; NULL for none. */
    void (*draw)(const ui_widget *widget, ui_context *context);
    /* The texts, which the tree draws after draw(); NULL for none. */
    size_t (*text_parts)(const ui_widget *widget, ui_context *context,
                         ui_text_part parts[UI_TEXT_PARTS_MAX]);
    /* Children are drawn, and can be touched, only inside this widget's
     * bounds (a scrolling area). */
    bool clips_children;
    /* Frees the class's own state (widget->data); NULL when it has none. */
    void (*destroy_data)(ui_widget *widget);
    /* A widget that follows the finger (a signature or handwriting pad)
     * rather than taking a tap: the finger going down on it, each move
     * (wherever it goes, until it lifts) and the lift, in screen pixels;
     * after the lift its action is done. Returns the area (screen pixels)
     * to draw again, empty for none. NULL: a press and a tap, as a button. */
    SDL_Rect (*follow)(ui_widget *widget, ui_follow phase, int x, int y);
} ui_widget_class;

struct ui_widget {
    const ui_widget_class *class_;
    ui_widget *parent, *first_child, *last_child, *next_sibling;
    char id[UI_ID_MAX];
    char *text;   /* what it shows or says; owned, may be NULL */
    char *detail; /* a second, smaller line (a tile's summary); owned, may be NULL */
    SDL_Rect bounds;
    unsigned flags;
    ui_action action;
    int action_arg;
    ui_tone tone;
    float text_dp; /* 0: the class's default size */
    ui_align align;
    bool wrap;     /* text wraps within the bounds */
    int text_lang; /* a lang whose font draws the text, or -1 for the screen's */
    bool chrome;   /* part of the frame (title bar, footer): sized as a control */
    void *data;    /* the class's own state, freed by class_->destroy_data */
};

extern const ui_widget_class ui_panel_class;    /* background in its tone */
extern const ui_widget_class ui_label_class;    /* text */
extern const ui_widget_class ui_heading_class;  /* text that names what follows */
extern const ui_widget_class ui_note_class;     /* text in its tone's quieter colour */
extern const ui_widget_class ui_button_class;   /* a rounded, tappable box with text */
extern const ui_widget_class ui_tile_class;     /* a service: name, summary, accent */
extern const ui_widget_class ui_card_class;     /* a rounded box holding others */
extern const ui_widget_class ui_backdrop_class; /* a whole area to tap, drawn as a panel */

/* Creates a widget as the last child of parent (NULL for a root). The id is
 * copied (truncated to UI_ID_MAX - 1). Returns NULL when out of memory. */
ui_widget *ui_widget_create(ui_widget *parent, const ui_widget_class *class_, const char *id);

/* Shorthands for the classes above, setting text (copied) and bounds. */
ui_widget *ui_panel_create(ui_widget *parent, const char *id, SDL_Rect bounds, ui_tone tone);
ui_widget *ui_label_create(ui_widget *parent, const char *id, const char *text, SDL_Rect bounds);
ui_widget *ui_heading_create(ui_widget *parent, const char *id, const char *text, SDL_Rect bounds);
ui_widget *ui_note_create(ui_widget *parent, const char *id, const char *text, SDL_Rect bounds);
ui_widget *ui_button_create(ui_widget *parent, const char *id, const char *text, SDL_Rect bounds,
                            ui_action action, int action_arg);
ui_widget *ui_tile_create(ui_widget *parent, const char *id, const char *name, const char *summary,
                          SDL_Rect bounds, ui_action action, int action_arg);

ui_widget *ui_card_create(ui_widget *parent, const char *id, SDL_Rect bounds, ui_tone tone);
ui_widget *ui_backdrop_create(ui_widget *parent, const char *id, const char *label, SDL_Rect bounds,
                              ui_action action);

/* A destroy_data for classes whose state is one malloc'd block. */
void ui_widget_free_data(ui_widget *widget);

/* Replaces the text (copied; the old one is zeroed). False when out of memory. */
bool ui_widget_set_text(ui_widget *widget, const char *text);
bool ui_widget_set_detail(ui_widget *widget, const char *detail);

/* Destroys widget and its children, zeroing their texts. NULL is fine. */
void ui_widget_destroy(ui_widget *widget);

/* Makes part fit its box: smaller, never below the theme's legal minimum,
 * then wrapped if there is room for more lines. */
void ui_text_part_fit(const ui_widget *widget, ui_context *context, ui_text_part *part);

/* The texts widget shows, as drawn (for the accessibility audit). */
size_t ui_widget_text_parts(const ui_widget *widget, ui_context *context,
                            ui_text_part parts[UI_TEXT_PARTS_MAX]);

/* Draws the tree, parents before children; then the focus ring of the
 * widget flagged UI_FLAG_FOCUSED, if any, over everything. */
void ui_widget_draw_tree(const ui_widget *root, ui_context *context);

/* Whether keypad navigation and speech may move to it, as its class says:
 * what can be tapped, and fields that can be typed into. */
bool ui_widget_is_focusable(const ui_widget *widget);

/* The widgets of root's tree a keypad can reach, in reading order: in lines
 * from the top (a widget whose middle lies above the bottom of the line
 * begun before it joins that line), each line from the left. A scroll view
 * takes its place as one block and its widgets follow in their own reading
 * order, wherever they are scrolled to. Hidden widgets, and what they hold,
 * are left out. Fills out with up to max of them and returns how many there
 * are (more than max when out is too small). */
size_t ui_focus_order(ui_widget *root, ui_widget **out, size_t max);

/* The focus ring: a band of the theme's focus colour UI_FOCUS_RING_DP
 * wide around the widget's bounds, edged outside by UI_FOCUS_HALO_DP of its
 * focus_halo colour (so that one of the two stands out on any background),
 * rounded like the buttons. Where there is no room outside (the screen's
 * edge, a scroll view's) it is drawn inside the bounds on that side. */
#define UI_FOCUS_RING_DP 6.0f
#define UI_FOCUS_HALO_DP 2.0f

/* The area the ring of widget may cover (frame pixels): what to draw again
 * when the focus comes or goes. */
SDL_Rect ui_focus_ring_area(const ui_widget *widget, const ui_metrics *metrics);
/* Draws widget's ring (whatever its flags), clipped as widget is. */
void ui_focus_ring_draw(const ui_widget *widget, ui_context *context);
/* The widget of root's tree flagged UI_FLAG_FOCUSED and shown, or NULL. */
ui_widget *ui_focus_find(ui_widget *root);

/* The deepest visible tappable widget containing (x, y), or NULL. */
ui_widget *ui_widget_hit(ui_widget *root, int x, int y);

/* The widget with this id in the tree, or NULL. */
ui_widget *ui_widget_find(ui_widget *root, const char *id);

/* Calls visit on every widget, depth first, parents first. */
void ui_widget_walk(ui_widget *root, void (*visit)(ui_widget *widget, void *user), void *user);

#endif
