"""Every component id in one place, so pages, callbacks and browser tests agree."""

URL = "url"
LANG = "lang-store"
LANG_SWITCH = "lang-switch"
NAV = "nav"
PAGE_TITLE = "page-title"
FILTER_BAR = "filter-bar"
F_REPORT = "filter-report"
F_DEPARTMENT = "filter-department"
F_CATEGORY = "filter-category"
F_STATUS = "filter-status"
F_TEXT = "filter-text"
ACTIVE_FILTERS = "active-filters"
STALE_NOTICE = "stale-filters"
RESET = "filter-reset"
MEETING_LINK = "meeting-link"

KPI_ROW = "kpi-row"
INDICATOR_TILES = "indicator-tiles"
UNIT_SWITCH = "unit-switch"
CHART_COMPLETION = "chart-completion"
CHART_STATUS = "chart-status"
CHART_HEATMAP = "chart-heatmap"
CHART_TIMELINE = "chart-timeline"
STATED_TOTALS = "stated-totals"
OVERVIEW_BODY = "overview-body"

GRID = "measures-grid"
DETAIL = "measure-detail"
EXPLORER_BODY = "explorer-body"

INDICATOR_LIST = "indicator-list"
INDICATOR_SOURCES = "indicator-sources"
INDICATOR_PICK = "indicator-pick"

DEPT_BODY = "departments-body"
CHART_DEPT = "chart-departments"

MEETING_SLIDE = "meeting-slide"
MEETING_INDEX = "meeting-index"
MEETING_PREV = "meeting-prev"
MEETING_NEXT = "meeting-next"
MEETING_FOOTER = "meeting-footer"

REPORTS_BODY = "reports-body"
REPORTS_TABLE = "reports-table"
REPORTS_HEADING = "reports-heading"
REPORTS_SEARCH = "reports-search"
REPORTS_PAGER = "reports-pager"
REPORTS_PLACE = "reports-place"
MEETING_HINT = "meeting-hint"
MEETING_EXIT = "meeting-exit"
EXPLORER_NOTE = "explorer-note"
EXPLORER_PAGE = "explorer-page"
EXPLORER_PAGE_INFO = "explorer-page-info"
EXPLORER_PREV = "explorer-prev"
EXPLORER_NEXT = "explorer-next"

# Exports (issue 5): the navbar's menu, its download, and each chart's PNG/SVG buttons.
EXPORT_MENU = "export-menu"
EXPORT_DECK = "export-deck"
EXPORT_CSV = "export-csv"
EXPORT_XLSX = "export-xlsx"
EXPORT_IMAGES = "export-images"
EXPORT_ITEMS = (EXPORT_DECK, EXPORT_CSV, EXPORT_XLSX, EXPORT_IMAGES)
DOWNLOAD = "export-download"
EXPORT_ERROR = "export-error"
EXPORT_LABEL = "export-label"  # the report part of a chart image's file name
CHART_DOWNLOAD = "chart-download"  # pattern-matching type: {"type", "chart", "format"}
CHART_DOWNLOADED = "chart-downloaded"
CHART_DOWNLOADS = "chart-downloads"  # pattern-matching type: {"type", "chart"}, the buttons' row
DEADLINES = "deadline-tiles"

# The data page: uploads, the loaded-reports list with delete and reload.
DATA_HEADING = "data-heading"
UPLOAD = "upload"
UPLOAD_HINT = "upload-hint"
UPLOAD_BATCH = "upload-batch"
UPLOAD_PREVIEW = "upload-preview"
UPLOAD_CONFIRM = "upload-confirm"
UPLOAD_CANCEL = "upload-cancel"
UPLOAD_RESULT = "upload-result"
UPLOAD_SENT = "upload-sent"  # the drop, once the browser found it within the limits
UPLOAD_REFUSED = "upload-refused"  # the bytes of a drop too large to send
UPLOAD_POLL = "upload-poll"  # ticks while a job prepares or loads the batch
UPLOAD_PROGRESS_BOX = "upload-progress-box"
UPLOAD_PROGRESS = "upload-progress"
UPLOAD_PROGRESS_TEXT = "upload-progress-text"
UPLOAD_STOP = "upload-stop"  # ends the preparing of a batch
DATA_VERSION = "data-version"
DATA_LIST_HEADING = "data-list-heading"
DATA_LIST = "data-list"
DATA_SEARCH = "data-search"
DATA_PAGER = "data-pager"
DATA_PLACE = "data-place"
DATA_DELETE = "data-delete"  # pattern-matching type: {"type", "report"}
DATA_RELOAD = "data-reload"

# Rounds compared.
ROUNDS_UNIT = "rounds-unit"
ROUNDS_BODY = "rounds-body"
CHART_ROUNDS = "chart-rounds"
ROUNDS_PAGER = "rounds-pager"
ROUNDS_PLACE = "rounds-place"
TIMELINE_BOX = "timeline-box"  # the milestones chart, or a hint when no report is picked

# Corrections in the explorer's detail panel, the audit log (审计记录) and the review list (待核查).
EDIT_BASE = "edit-base"  # what the panel showed: the values an edit is checked against
EDIT_CATEGORY = "edit-category"
EDIT_STATUS = "edit-status"
EDIT_DEPARTMENTS = "edit-departments"
EDIT_DEADLINE = "edit-deadline"
EDIT_INDICATOR = "edit-indicator"  # pattern-matching type: {"type", "metric"}
EDIT_VALUE = "edit-value"  # pattern-matching type: {"type", "metric"}
EDIT_REASON = "edit-reason"
EDIT_SAVE = "edit-save"
EDIT_MESSAGE = "edit-message"
EDIT_VERSION = "edit-version"  # bumped by each saved correction: the grid and panel redraw
AUDIT_BODY = "audit-body"
AUDIT_TABLE = "audit-table"
AUDIT_USER = "audit-user"
AUDIT_FIELD = "audit-field"
AUDIT_REPORT = "audit-report"
AUDIT_TEXT = "audit-text"
AUDIT_SINCE = "audit-since"
AUDIT_UNTIL = "audit-until"
AUDIT_PAGE_INFO = "audit-page-info"
AUDIT_PAGER = "audit-pager"
AUDIT_REVERT = "audit-revert"  # pattern-matching type: {"type", "entry"}
AUDIT_MODAL = "audit-modal"
AUDIT_MODAL_TITLE = "audit-modal-title"
AUDIT_REVERT_ENTRY = "audit-revert-entry"
AUDIT_REVERT_REASON = "audit-revert-reason"
AUDIT_REVERT_LABEL = "audit-revert-label"
AUDIT_REVERT_CONFIRM = "audit-revert-confirm"
AUDIT_REVERT_CANCEL = "audit-revert-cancel"
AUDIT_MESSAGE = "audit-message"
AUDIT_MODAL_ERROR = "audit-modal-error"
AUDIT_VERSION = "audit-version"
REVIEW_BODY = "review-body"
REVIEW_TABLE = "review-table"
REVIEW_SHOW_DONE = "review-show-done"
REVIEW_PAGE_INFO = "review-page-info"
REVIEW_PAGER = "review-pager"
REVIEW_TOGGLE = "review-toggle"  # pattern-matching type: {"type", "key", "on"}
REVIEW_MESSAGE = "review-message"
REVIEW_VERSION = "review-version"
REVIEW_COUNT = "review-count"
OVERVIEW_REVIEW = "overview-review"  # the overview's line: how many not yet reviewed

# Every chart drawn with components.chart (its download buttons are shown only with data).
CHARTS = (CHART_COMPLETION, CHART_STATUS, CHART_HEATMAP, CHART_TIMELINE, CHART_DEPT, CHART_ROUNDS)
