"""Every user-facing string, in zh-CN (default) and English. Category and status names are
vocabulary from the rule files (views/vocabulary.py), re-exported here for callers."""

from __future__ import annotations

from views.vocabulary import category_label, status_label  # noqa: F401 - re-exported

LANGS = ("zh", "en")

MESSAGES: dict[str, dict[str, str]] = {
    "app_title": {"zh": "整改进展看板", "en": "Rectification dashboard"},
    "nav_overview": {"zh": "总览", "en": "Overview"},
    "nav_explorer": {"zh": "问题清单", "en": "Explorer"},
    "nav_indicators": {"zh": "指标", "en": "Indicators"},
    "nav_departments": {"zh": "部门", "en": "Departments"},
    "nav_reports": {"zh": "通报", "en": "Reports"},
    "nav_meeting": {"zh": "会议模式", "en": "Meeting mode"},
    "lang_switch": {"zh": "English", "en": "中文"},
    "reports_heading": {"zh": "已载入的通报", "en": "Loaded reports"},
    "reports_search": {
        "zh": "按标题、单位或文件名搜索…",
        "en": "Search titles, units or file names…",
    },
    "reports_place": {
        "zh": "第 {first}–{last} 份，共 {total} 份",
        "en": "{first}–{last} of {total}",
    },
    "reports_none": {"zh": "没有符合的通报", "en": "No reports match"},
    "col_loaded": {"zh": "载入时间", "en": "Loaded"},
    "col_review": {"zh": "核查", "en": "Review"},
    "needs_review": {"zh": "待核查", "en": "Needs review"},
    "reviewed": {"zh": "已核查", "en": "Reviewed"},
    "parse_notes_count": {"zh": "{n} 条说明", "en": "{n} notes", "en_one": "1 note"},
    "needs_review_count": {
        "zh": "{n} 条解析提示",
        "en": "{n} parse warnings",
        "en_one": "1 parse warning",
    },
    "review_reports": {
        "zh": "{n} 份通报需核查",
        "en": "{n} reports to check",
        "en_one": "1 report to check",
    },
    "review_reasons": {
        "zh": "{n} 条待核查事项",
        "en": "{n} things to check",
        "en_one": "1 thing to check",
    },
    "review_stated": {
        "zh": "通报自述{total} {stated}，系统统计 {counted}",
        "en": "{total}: stated {stated}, counted {counted}",
    },
    "review_more_reports": {
        "zh": "另有 {n} 份通报需核查，见“通报”页。",
        "en": "{n} more reports to check: see the Reports page.",
        "en_one": "1 more report to check: see the Reports page.",
    },
    "count_level_note": {
        "zh": "问题按“具体问题”计数：整改措施直接对应的最末一级问题（不含方面、大类问题）。",
        "en": "Problems are counted as items (具体问题): the findings measures answer directly, not the areas or problem groups above them.",
    },
    "col_title": {"zh": "标题", "en": "Title"},
    "col_unit": {"zh": "被巡察单位", "en": "Inspected unit"},
    "col_kind": {"zh": "类别", "en": "Kind"},
    "col_published": {"zh": "发布日期", "en": "Published"},
    "col_items": {"zh": "具体问题", "en": "Items"},
    "col_measures": {"zh": "整改措施", "en": "Measures"},
    "col_metrics": {"zh": "数据项", "en": "Figures"},
    "col_path": {"zh": "问题层级", "en": "Area › problem › item"},
    "col_headline": {"zh": "措施", "en": "Measure"},
    "col_measure_text": {"zh": "整改措施", "en": "Measure"},
    "col_problem_text": {"zh": "问题", "en": "Problem"},
    "col_category": {"zh": "类别", "en": "Category"},
    "col_status": {"zh": "状态", "en": "Status"},
    "col_departments": {"zh": "责任单位", "en": "Departments"},
    "col_figures": {"zh": "数据", "en": "Figures"},
    "col_department": {"zh": "部门", "en": "Department"},
    "col_rate": {"zh": "完成率", "en": "Completion"},
    "figure_outside_measures": {
        "zh": "未归入具体整改措施的数字（如综述段落）",
        "en": "a figure outside any measure (a summary paragraph)",
    },
    "col_rate_items": {"zh": "完成率（按具体问题）", "en": "Completion (items)"},
    "col_rate_measures": {"zh": "完成率（按整改措施）", "en": "Completion (measures)"},
    "dept_levels_note": {
        "zh": "具体问题按本部门自己的整改措施判定状态（与总览按该部门筛选时的完成率一致）；"
        "整改措施按每项措施计。",
        "en": "An item's status for a department comes from that department's own measures "
        "(the rate the overview shows under that department's filter); measures count one "
        "by one.",
    },
    "col_indicator": {"zh": "指标", "en": "Indicator"},
    "col_total": {"zh": "合计", "en": "Total"},
    "col_sentence": {"zh": "原文", "en": "Source sentence"},
    "col_report": {"zh": "通报", "en": "Report"},
    "empty_title": {"zh": "仓库中还没有通报", "en": "No reports in the warehouse yet"},
    "empty_body": {
        "zh": "在项目目录运行下面的命令载入随附的样例通报，然后刷新本页：",
        "en": "Run this in the project folder to load the bundled sample reports, then reload this page:",
    },
    "empty_command": {
        "zh": "make run    # 或：.venv/bin/rectify load data/samples",
        "en": "make run    # or: .venv/bin/rectify load data/samples",
    },
    "untitled": {"zh": "（无标题）", "en": "(untitled)"},
    "filter_report": {"zh": "通报", "en": "Report"},
    "filter_all_reports": {"zh": "全部通报", "en": "All reports"},
    "filter_department": {"zh": "责任单位", "en": "Department"},
    "filter_category": {"zh": "类别", "en": "Category"},
    "filter_status": {"zh": "状态", "en": "Status"},
    "filter_text": {"zh": "搜索原文…", "en": "Search the text…"},
    "filter_reset": {"zh": "清除筛选", "en": "Reset filters"},
    "filter_none": {"zh": "未筛选", "en": "No filters"},
    "filter_stale": {
        "zh": "链接中的筛选条件在当前仓库中已不存在：{filters}。下列图表按此筛选显示为空；请清除筛选或另选。",
        "en": "The link filters by something no longer in the warehouse: {filters}. The views show nothing for it; reset the filters or pick another.",
    },
    "filter_stale_option": {"zh": "（已不存在）{value}", "en": "(no longer loaded) {value}"},
    "filter_active": {"zh": "当前筛选：", "en": "Filters:"},
    "default_rule_cue": {
        "zh": "原文未写进展，按默认规则：{rule}",
        "en": "the text says nothing of progress; by default rule: {rule}",
    },
    "kpi_items": {"zh": "具体问题", "en": "Items"},
    "kpi_measures": {"zh": "整改措施", "en": "Measures"},
    "kpi_rate": {"zh": "整改完成率", "en": "Completion rate"},
    "kpi_rate_items": {"zh": "整改完成率（按具体问题）", "en": "Completion rate (items)"},
    "kpi_rate_measures": {"zh": "整改完成率（按整改措施）", "en": "Completion rate (measures)"},
    "kpi_rate_all_statuses": {
        "zh": "含各状态：已完成 {done} / 共 {total}",
        "en": "all statuses: {done} of {total} completed",
    },
    "kpi_items_done": {"zh": "具体问题 已完成 / 总数", "en": "Items completed / all"},
    "kpi_measures_done": {"zh": "整改措施 已完成 / 总数", "en": "Measures completed / all"},
    "more_indicators": {"zh": "其余 {n} 项指标", "en": "{n} more indicators"},
    "unit_items": {"zh": "按具体问题", "en": "Count items"},
    "unit_measures": {"zh": "按整改措施", "en": "Count measures"},
    "chart_completion": {"zh": "各类别整改完成率", "en": "Completion rate by category"},
    "chart_status": {"zh": "整改状态", "en": "Status"},
    "counted_in_items": {"zh": "（按具体问题）", "en": " (items)"},
    "counted_in_measures": {"zh": "（按整改措施）", "en": " (measures)"},
    "doughnut_centre": {"zh": "完成率", "en": "done"},
    "chart_heatmap": {
        "zh": "责任单位 × 类别（整改措施数）",
        "en": "Department × category (measures)",
    },
    "chart_timeline": {"zh": "时间节点", "en": "Milestones"},
    "chart_departments": {
        "zh": "各部门整改完成情况（按整改措施计）",
        "en": "Completion by department (in measures)",
    },
    "chart_departments_top": {
        "zh": "各部门整改完成情况（按整改措施计，措施最多的 {n} 个单位）",
        "en": "Completion by department (in measures; the {n} with most measures)",
    },
    "chart_heatmap_top": {
        "zh": "责任单位 × 类别（整改措施数，措施最多的 {n} 个单位）",
        "en": "Department × category (measures; the {n} departments with most)",
    },
    "axis_measures": {"zh": "措施数", "en": "Measures"},
    "axis_count": {"zh": "数量", "en": "Count"},
    "ms_inspection": {"zh": "巡察/巡视进驻", "en": "Inspection"},
    "ms_feedback": {"zh": "反馈意见", "en": "Feedback"},
    "ms_publish": {"zh": "公布整改进展", "en": "Progress published"},
    "stated_heading": {"zh": "通报自述 与 系统统计", "en": "Stated by the report vs counted"},
    "stated_problems": {"zh": "反馈问题", "en": "Problems fed back"},
    "stated_completed": {"zh": "已完成", "en": "Completed"},
    "stated_in_progress": {"zh": "正在整改", "en": "In progress"},
    "stated_rules_made": {"zh": "完善制度", "en": "Rules made"},
    "stated_funds": {"zh": "追缴/清退资金（元）", "en": "Funds recovered (yuan)"},
    "stated_whole_report": {
        "zh": "自述数字与整份通报的统计相比，不受其他筛选影响。",
        "en": "Stated totals are set beside the whole report's counts, whatever the other filters.",
    },
    "stated_col_stated": {"zh": "通报所述", "en": "Stated"},
    "stated_col_counted": {"zh": "系统统计", "en": "Counted"},
    "stated_mismatch": {"zh": "不一致", "en": "Mismatch"},
    "stated_col_check": {"zh": "核对", "en": "Check"},
    "stated_match": {"zh": "一致", "en": "Agrees"},
    "stated_none": {
        "zh": "本通报未自述汇总数字。",
        "en": "The report states no totals of its own.",
    },
    "pick_report_for_timeline": {
        "zh": "选择一份通报以查看时间节点。",
        "en": "Pick one report to see its milestones.",
    },
    "explorer_count": {
        "zh": "共 {n} 条整改措施符合筛选条件。",
        "en": "{n} measures match the filters.",
    },
    "explorer_page": {
        "zh": "第 {page} / {pages} 页（第 {first}–{last} 条，共 {n} 条）",
        "en": "Page {page} of {pages} (rows {first}–{last} of {n})",
    },
    "detail_pick": {
        "zh": "点选表格中的一行，查看原文与数据出处。",
        "en": "Select a row to read its source text and figures.",
    },
    "detail_cue": {"zh": "状态依据", "en": "Status cue"},
    "detail_place": {"zh": "所在位置", "en": "Place in the report"},
    "indicator_pick": {
        "zh": "点选一个指标，查看它由哪些原文数字构成。",
        "en": "Pick an indicator to see the sentences it adds up.",
    },
    "indicator_sources_title": {"zh": "数字出处", "en": "Where the figure comes from"},
    "indicator_shared": {
        "zh": "另有与其他单位共同的 {total}{unit} 未计入",
        "en": "{total} {unit} shared with other units not included",
    },
    "indicator_shared_badge": {"zh": "共同", "en": "Shared"},
    "indicator_shared_with": {
        "zh": "与其他单位共同完成，未计入本单位合计：{owners}",
        "en": "Shared with other units, not in this unit's total: {owners}",
    },
    "no_data": {"zh": "当前筛选下没有数据。", "en": "No data for these filters."},
    "not_found_title": {"zh": "找不到这个页面", "en": "Page not found"},
    "not_found_body": {
        "zh": "看板中没有这个地址，可能是链接写错了或页面已更名。",
        "en": "The dashboard has no page at this address; the link may be mistyped or out of date.",
    },
    "not_found_home": {"zh": "回到总览", "en": "Back to the overview"},
    "meeting_hint": {"zh": "← / → 翻页，Esc 退出", "en": "← / → to move, Esc to leave"},
    "meeting_exit": {"zh": "退出会议模式", "en": "Leave meeting mode"},
    "prev": {"zh": "上一页", "en": "Previous"},
    "next": {"zh": "下一页", "en": "Next"},
    "deck_kpis": {"zh": "整改总体情况", "en": "Overall progress"},
    "deck_indicators": {"zh": "重点指标", "en": "Key indicators"},
    "deck_in_progress": {"zh": "正在推进的整改措施", "en": "Measures still in progress"},
    "deck_continued": {"zh": "（续）", "en": " (cont.)"},
    "deck_review": {"zh": "待核查事项", "en": "To check by hand"},
    "deck_review_reason": {"zh": "待核查的原因", "en": "What to check"},
    "deck_review_more": {
        "zh": "等，详见“待核查事项”页及备注",
        "en": " … (all on the “To check by hand” slide and in the notes)",
    },
    "deck_unknown": {
        "zh": "状态{status}的整改措施（未计入已完成，请核对）",
        "en": "Measures of status {status} (not counted as completed; check them)",
    },
    "days_overdue": {"zh": "逾期 {n} 天", "en": "{n} days overdue", "en_one": "1 day overdue"},
    "days_to_go": {"zh": "还剩 {n} 天", "en": "{n} days left", "en_one": "1 day left"},
    "due_today": {"zh": "今天到期", "en": "due today"},
    "none_items": {
        "zh": "所选通报中未识别出具体问题。",
        "en": "No items (problems fed back) were recognised in these reports.",
    },
    "none_measures": {
        "zh": "所选通报中未识别出整改措施。",
        "en": "No measures were recognised in these reports.",
    },
    "none_departments": {
        "zh": "所选通报的整改措施未写明责任单位。",
        "en": "The measures of these reports name no responsible department.",
    },
    "none_indicators": {
        "zh": "所选通报中没有计入重点指标的数字。",
        "en": "No figure of these reports counts towards a key indicator.",
    },
    "none_dates": {
        "zh": "通报未写明巡察、反馈或发布日期。",
        "en": "The report gives no inspection, feedback or publication date.",
    },
    "deck_more_rows": {
        "zh": "另有 {n} 条未列出，完整清单见导出的 Excel。",
        "en": "{n} more not shown; the exported Excel workbook lists them all.",
    },
    "col_unit_of": {"zh": "单位", "en": "Unit"},
    "col_section": {"zh": "部分", "en": "Section"},
    "col_text": {"zh": "原文", "en": "Text"},
    "col_value": {"zh": "数值", "en": "Value"},
    "col_qualifier": {"zh": "限定", "en": "Qualifier"},
    "col_raw": {"zh": "原文数字", "en": "As written"},
    "qualifier_exact": {"zh": "确数", "en": "exact"},
    "qualifier_lower_bound": {"zh": "下限（余/多）", "en": "at least (余/多)"},
    "qualifier_approx": {"zh": "约数", "en": "approximate"},
    "sheet_measures": {"zh": "整改措施", "en": "Measures"},
    "sheet_metrics": {"zh": "数据项", "en": "Figures"},
    "sheet_indicators": {"zh": "重点指标", "en": "Indicators"},
    "sheet_about": {"zh": "说明", "en": "About"},
    "export_field": {"zh": "项目", "en": "Field"},
    "export_value": {"zh": "内容", "en": "Value"},
    "export_offsets": {"zh": "字符位置", "en": "Offsets"},
    "export_offsets_note": {
        "zh": "“起始位置”“结束位置”为该通报纯文本中的字符位置（rectify text 文件名 可输出纯文本，通报与整改台账均可）。",
        "en": "Start and End are character positions in the report's plain text (print it with `rectify text FILE`, for reports and ledgers alike).",
    },
    "col_report_id": {"zh": "通报编号", "en": "Report ID"},
    "col_measure_id": {"zh": "措施编号", "en": "Measure ID"},
    "col_start_offset": {"zh": "起始位置", "en": "Start"},
    "col_end_offset": {"zh": "结束位置", "en": "End"},
    "col_indicator_code": {"zh": "指标代码", "en": "Indicator code"},
    "cite_none": {"zh": "（没有通报）", "en": "(no report)"},
    "deadlines_heading": {"zh": "整改时限预警（未完成事项）", "en": "Deadlines of open tasks"},
    "band_overdue": {"zh": "已逾期", "en": "Overdue"},
    "band_due_soon": {"zh": "{n} 天内到期", "en": "Due within {n} days"},
    "band_watch": {"zh": "{n} 天内到期", "en": "Due within {n} days"},
    "band_on_track": {"zh": "{m} 天以上", "en": "More than {m} days left"},
    "col_deadline": {"zh": "完成时限", "en": "Deadline"},
    "col_days_left": {"zh": "剩余天数", "en": "Days left"},
    "col_owner": {"zh": "责任人", "en": "Owner"},
    "col_evidence": {"zh": "佐证材料", "en": "Evidence"},
    "deck_deadlines": {"zh": "整改时限预警", "en": "Deadlines: overdue and due soon"},
    "nav_data": {"zh": "数据", "en": "Data"},
    "upload_hint": {
        "zh": "把通报或整改台账拖到这里，或点击选择文件（txt、html、docx、pdf、xlsx、csv，每个不超过 {mb} MB）。载入前会先列出识别结果。",
        "en": "Drop reports or ledgers here, or click to choose files (txt, html, docx, pdf, xlsx, csv; up to {mb} MB each). You see what was understood before anything is loaded.",
    },
    "upload_file": {"zh": "文件", "en": "File"},
    "upload_note": {"zh": "识别结果", "en": "What was understood"},
    "upload_confirm": {"zh": "载入 {n} 个文件", "en": "Load {n} files", "en_one": "Load 1 file"},
    "upload_cancel": {"zh": "取消", "en": "Cancel"},
    "upload_loaded": {
        "zh": "已载入 {n} 个文件。",
        "en": "{n} files loaded.",
        "en_one": "1 file loaded.",
    },
    "upload_view": {"zh": "查看总览", "en": "See the overview"},
    "upload_failed": {"zh": "载入失败：", "en": "Loading failed:"},
    "upload_type": {"zh": "不支持的文件类型 {suffix}。", "en": "Unsupported file type {suffix}."},
    "upload_size": {
        "zh": "文件超过 {mib} MiB 的上限。",
        "en": "The file is over the {mib} MiB limit.",
    },
    "upload_damaged": {
        "zh": "上传的数据已损坏，请重试",
        "en": "The upload was damaged; try again.",
    },
    "upload_too_much": {
        "zh": "一次最多上传 {mib} MiB，请分批拖入文件。",
        "en": "At most {mib} MiB can be uploaded at once; drop fewer files at a time.",
    },
    "upload_memory": {
        "zh": "读取该文件所需内存超过每个文件 {mib} MiB 的上限，已停止（文件可能已损坏，或是恶意构造的）。"
        "请用 {programs} 打开后另存，或拆分成较小的文件。",
        "en": "Reading it needed more than the {mib} MiB of memory one file may take, so it "
        "was stopped (a damaged or hostile file). Open it in {programs} and save it "
        "again, or split it into smaller files.",
    },
    "upload_time": {
        "zh": "读取该文件超过每个文件 {seconds} 秒的时限，已停止。请拆分成较小的文件，或另存后重试。",
        "en": "Reading it took longer than the {seconds} s one file may take, so it was "
        "stopped. Split it into smaller files, or save it again and retry.",
    },
    "upload_crashed": {
        "zh": "无法读取该文件（解析程序在读取时出错）。请用 {programs} 打开后另存再试；"
        "仍不行时请附上文件报告此问题。",
        "en": "It could not be read (the parser failed on it). Open it in {programs}, "
        "save it again and retry; if it still fails, report it with the file attached.",
    },
    "upload_lost": {
        "zh": "处理中断（服务器可能已重启），请重新上传。",
        "en": "The work on it was interrupted (the server may have restarted); upload it again.",
    },
    "upload_expired": {
        "zh": "这批上传已过期或已取消，请重新拖入文件。",
        "en": "This upload has expired or was cancelled; drop the files again.",
    },
    "upload_warehouse": {"zh": "{message}", "en": "{message}"},
    "upload_already": {
        "zh": "相同内容已载入（“{name}”），再次载入将替换它。",
        "en": "The same content is already loaded (as “{name}”); loading it again replaces it.",
    },
    "upload_same_batch": {
        "zh": "与本批的“{names}”是同一份通报（内容相同），只载入其中一份，载入后只计一份。",
        "en": "The same report as “{names}” in this batch (same content): only one copy is "
        "loaded, and it counts once.",
    },
    "upload_loaded_reports": {
        "zh": "已载入 {n} 个文件，合为 {reports} 份通报（有的文件内容相同，只计一份）。",
        "en": "{n} files loaded as {reports} reports (files with the same content count once).",
    },
    "upload_progress": {
        "zh": "{step}“{name}”（第 {n}/{total} 个文件），已用 {elapsed} 秒，每个文件最多 {limit} 秒",
        "en": "{step} “{name}” (file {n} of {total}), {elapsed} s so far, at most {limit} s "
        "per file",
    },
    "upload_loading": {
        "zh": "正在载入 {total} 个文件，已用 {elapsed} 秒，最多 {limit} 秒",
        "en": "Loading {total} files, {elapsed} s so far, at most {limit} s",
        "en_one": "Loading 1 file, {elapsed} s so far, at most {limit} s",
    },
    "upload_step_": {"zh": "准备", "en": "Preparing"},
    "upload_step_read": {"zh": "读取", "en": "Reading"},
    "upload_step_extract": {"zh": "识别", "en": "Extracting"},
    "upload_step_check": {"zh": "核对", "en": "Checking"},
    "upload_step_write": {"zh": "写入", "en": "Writing"},
    "kind_text": {"zh": "文本通报", "en": "Text report"},
    "kind_html": {"zh": "网页通报", "en": "Web page"},
    "kind_docx": {"zh": "Word 通报", "en": "Word report"},
    "kind_pdf": {"zh": "PDF 通报", "en": "PDF report"},
    "kind_ledger": {"zh": "整改台账", "en": "Ledger"},
    "data_delete": {"zh": "删除", "en": "Delete"},
    "data_delete_confirm": {
        "zh": "从仓库删除“{name}”？",
        "en": "Delete “{name}” from the warehouse?",
    },
    "data_reload": {"zh": "重新载入", "en": "Reload"},
    "data_deleted": {"zh": "已删除。", "en": "Deleted."},
    "data_needs_login": {
        "zh": "只读：从本机以外访问时，须以编辑者身份登录后才能载入、重新载入或删除通报。",
        "en": "Read-only: from another machine, sign in as an editor to load, reload or "
        "delete reports.",
    },
    "data_viewer": {
        "zh": "只读：您的账号是查看者，不能载入、重新载入或删除通报。",
        "en": "Read-only: your account is a viewer and may not load, reload or delete reports.",
    },
    "data_reloaded": {"zh": "已重新载入。", "en": "Reloaded."},
    "data_source_missing": {
        "zh": "原文件已不在原位置，无法重新载入；请重新上传。",
        "en": "The original file is no longer where it was loaded from; upload it again.",
    },
    "nav_rounds": {"zh": "轮次对比", "en": "Rounds"},
    "chart_rounds": {
        "zh": "各轮次分类别问题完成率",
        "en": "Items completed by category, round by round",
    },
    "rounds_place": {
        "zh": "第 {first}–{last} 轮，共 {total} 份通报",
        "en": "Rounds {first}–{last} of {total}",
    },
    "rounds_more_rows": {
        "zh": "另有 {n} 条未列出。",
        "en": "{n} more not listed here.",
    },
    "rounds_reconciliation": {"zh": "自述数字与统计数字核对", "en": "Stated totals reconciled"},
    "rounds_total": {"zh": "项目", "en": "Total"},
    "rounds_changes": {"zh": "状态发生变化的整改措施", "en": "Measures whose status changed"},
    "rounds_between": {"zh": "轮次", "en": "Between"},
    "rounds_before": {"zh": "此前状态", "en": "Before"},
    "rounds_after": {"zh": "此后状态", "en": "After"},
    "rounds_recurring": {"zh": "反复出现的问题", "en": "Problems that recur"},
    "rounds_earlier": {"zh": "前次通报", "en": "Earlier report"},
    "rounds_later": {"zh": "后次通报", "en": "Later report"},
    "rounds_problem": {"zh": "问题", "en": "Problem"},
    "rounds_similarity": {"zh": "相似度", "en": "Similarity"},
    "login_title": {"zh": "整改进展看板", "en": "Rectification dashboard"},
    "login_user": {"zh": "用户名", "en": "User"},
    "login_password": {"zh": "密码", "en": "Password"},
    "login_submit": {"zh": "登录", "en": "Sign in"},
    "login_failed": {"zh": "用户名或密码不正确", "en": "Wrong user name or password"},
    "login_throttled": {
        "zh": "登录失败次数过多，请 {minutes} 分钟后再试",
        "en": "Too many failed sign-ins; try again in {minutes} minute(s)",
    },
    "logout": {"zh": "退出", "en": "Sign out"},
    "export_menu": {"zh": "导出", "en": "Export"},
    "export_deck": {"zh": "导出PPT", "en": "Export deck (PowerPoint)"},
    "export_csv": {"zh": "下载数据 CSV", "en": "Download data (CSV)"},
    "export_xlsx": {"zh": "下载数据 Excel", "en": "Download data (Excel)"},
    "export_images": {"zh": "全部图表图片（ZIP）", "en": "All charts as images (ZIP)"},
    "export_deck_name": {"zh": "整改进展汇报", "en": "Rectification progress"},
    "export_data_name": {"zh": "整改数据", "en": "Rectification data"},
    "export_images_name": {"zh": "整改图表", "en": "Rectification charts"},
    "export_images_failed": {"zh": "无法生成图表图片：", "en": "Chart images could not be made:"},
    "export_source": {"zh": "来源：", "en": "Source: "},
    # 等N份 counts them all (《A》等 3 份通报: three in all); the English counts the others.
    "export_more_reports": {
        "zh": "等 {total} 份通报",
        "en": " and {n} more reports",
        "en_one": " and 1 more report",
    },
    "export_generated": {"zh": "生成于", "en": "Generated"},
    "section_organisation": {"zh": "组织落实", "en": "Organisation"},
    "section_findings": {"zh": "反馈问题整改", "en": "Findings"},
    "section_remaining": {"zh": "存在的问题", "en": "Remaining problems"},
    "section_next_steps": {"zh": "下一步措施", "en": "Next steps"},
    # Corrections in place, their log (审计记录) and the review list (待核查).
    "nav_audit": {"zh": "审计记录", "en": "Audit log"},
    "nav_review": {"zh": "待核查", "en": "To review"},
    "correction_no_reason": {
        "zh": "请填写更正理由：每一处更正都需说明原因。",
        "en": "Give a reason: every correction says why.",
    },
    "correction_unknown": {
        "zh": "仓库中没有该通报、措施或数据项（{what}），可能已被删除或重新载入。",
        "en": "The warehouse has no such report, measure or figure ({what}); it may have been deleted or reloaded.",
    },
    "correction_no_entry": {
        "zh": "更正记录中没有第 #{entry} 条，请在审计记录中查看编号。",
        "en": "The corrections log has no entry #{entry}; see its numbers in the audit log (rectify overrides list).",
    },
    "correction_invalid": {
        "zh": "无法识别的值：{detail}",
        "en": "A value not understood: {detail}",
    },
    "correction_conflict": {
        "zh": "{field}已被他人改为“{now}”，请刷新后再更正。",
        "en": "Someone else changed {field} to “{now}” meanwhile; reload and correct it again.",
    },
    "correction_superseded": {
        "zh": "此字段之后又有更正（#{later}），请先撤销那一条。",
        "en": "A later correction (#{later}) changed the same field; undo that one first.",
    },
    "correction_nothing": {
        "zh": "没有与当前值不同的内容，未作更正。",
        "en": "Nothing differs from the values shown; nothing was corrected.",
    },
    "edit_heading": {"zh": "更正", "en": "Correct"},
    "edit_open": {"zh": "更正此措施", "en": "Correct this measure"},
    "edit_reason": {"zh": "更正理由（必填）", "en": "Reason (required)"},
    "edit_reason_placeholder": {
        "zh": "例如：台账第12行写明已销号",
        "en": "e.g. row 12 of the ledger says it was closed",
    },
    "edit_save": {"zh": "保存更正", "en": "Save correction"},
    "edit_saved": {
        "zh": "已保存并生效（{n} 处），重新载入后仍保留。",
        "en": "Saved and applied ({n} change(s)); kept when the report is loaded again.",
    },
    "edit_failed": {"zh": "未能保存：", "en": "Not saved:"},
    "edit_needs_login": {
        "zh": "只读：从本机以外访问时，须以编辑者身份登录后才能更正。",
        "en": "Read-only: from another machine, sign in as an editor to correct values.",
    },
    "edit_viewer": {
        "zh": "只读：您的账号是查看者，不能更正或标记核查。",
        "en": "Read-only: your account is a viewer and may not correct or mark reviewed.",
    },
    "edit_figures": {"zh": "数据项", "en": "Figures"},
    "edit_no_indicator": {"zh": "（不计入指标）", "en": "(no indicator)"},
    "edit_history": {"zh": "更正记录", "en": "Corrections"},
    "edit_corrected": {"zh": "人工更正", "en": "Corrected by hand"},
    "edit_as_read": {"zh": "原文识别为", "en": "As read"},
    "audit_heading": {"zh": "审计记录", "en": "Audit log"},
    "audit_intro": {
        "zh": "每一处更正：谁、何时、改了什么（原值 → 新值）、为什么。撤销也会记录在案。",
        "en": "Every correction: who, when, what (old → new) and why. Undoing one is recorded too.",
    },
    "audit_measure": {"zh": "措施 {measure}", "en": "Measure {measure}"},
    "audit_figure": {"zh": "数据“{figure}”（{measure}）", "en": "Figure “{figure}” ({measure})"},
    "audit_col_when": {"zh": "时间", "en": "When"},
    "audit_col_user": {"zh": "操作人", "en": "Who"},
    "audit_col_target": {"zh": "对象", "en": "What"},
    "audit_col_field": {"zh": "字段", "en": "Field"},
    "audit_col_change": {"zh": "原值 → 新值", "en": "Old → new"},
    "audit_col_reason": {"zh": "理由", "en": "Why"},
    "audit_col_action": {"zh": "操作", "en": "Action"},
    "audit_revert": {"zh": "撤销", "en": "Undo"},
    "audit_undone_by": {"zh": "已由 #{id} 撤销", "en": "Undone by #{id}"},
    "audit_undoes": {"zh": "撤销 #{id}", "en": "Undoes #{id}"},
    "audit_superseded": {"zh": "已被 #{id} 取代", "en": "Superseded by #{id}"},
    "audit_revert_title": {"zh": "撤销更正 #{id}", "en": "Undo correction #{id}"},
    "audit_revert_reason": {"zh": "撤销理由（必填）", "en": "Reason (required)"},
    "audit_revert_confirm": {"zh": "确认撤销", "en": "Undo it"},
    "audit_cancel": {"zh": "取消", "en": "Cancel"},
    "audit_reverted": {
        "zh": "已撤销 #{id}（记录为 #{new}）。",
        "en": "Undid #{id} (logged as #{new}).",
    },
    "audit_empty": {"zh": "尚无更正记录。", "en": "No corrections yet."},
    "entries_place": {
        "zh": "第 {first}–{last} 条，共 {total} 条",
        "en": "{first}–{last} of {total}",
    },
    "audit_filter_user": {"zh": "全部操作人", "en": "Anyone"},
    "audit_filter_field": {"zh": "全部字段", "en": "Any field"},
    "audit_filter_report": {"zh": "全部通报", "en": "Any report"},
    "audit_filter_text": {"zh": "搜索理由、对象…", "en": "Search reasons, figures…"},
    "audit_filter_since": {"zh": "起始日期", "en": "From"},
    "audit_filter_until": {"zh": "截止日期", "en": "To"},
    "audit_date_placeholder": {"zh": "年-月-日", "en": "YYYY-MM-DD"},
    # How the calendar heads a month (moment.js tokens): 2026 11月, November 2026.
    "audit_date_month_format": {"zh": "MMM YYYY", "en": "MMMM YYYY"},
    "via_app": {"zh": "看板", "en": "dashboard"},
    "via_cli": {"zh": "命令行", "en": "command line"},
    "via_import": {"zh": "导入", "en": "imported"},
    "review_heading": {"zh": "待核查", "en": "To review"},
    "review_intro": {
        "zh": "解析时有提示的通报与措施、状态未明确的措施。核对原文后标记已核查；标记在重新载入后仍保留。",
        "en": "Reports and measures the parse was unsure about, and measures whose status is unknown. Check the source, then mark them reviewed; marks are kept when reports are loaded again.",
    },
    "review_col_place": {"zh": "位置", "en": "Where"},
    "review_col_why": {"zh": "待核查原因", "en": "Why"},
    "review_col_figures": {"zh": "数据项", "en": "Figures"},
    "review_col_state": {"zh": "核查情况", "en": "Reviewed"},
    "review_mark": {"zh": "标记已核查", "en": "Mark reviewed"},
    "review_unmark": {"zh": "取消标记", "en": "Unmark"},
    "review_done": {"zh": "{user} 于 {when} 核查", "en": "{user}, {when}"},
    "review_pending": {"zh": "未核查", "en": "Not yet"},
    "review_whole_report": {"zh": "整份通报", "en": "The whole report"},
    "review_unknown_status": {
        "zh": "状态未明确（未计入已完成）",
        "en": "Status unknown (not counted as completed)",
    },
    "review_show_done": {"zh": "显示已核查", "en": "Show reviewed"},
    "review_count": {
        "zh": "共 {n} 处待核查，其中 {open} 处尚未核查",
        "en": "{n} to review, {open} not yet reviewed",
    },
    "review_open": {"zh": "查看", "en": "Open"},
    "review_empty": {"zh": "没有需要核查的内容。", "en": "Nothing to review."},
    "overview_unreviewed": {
        "zh": "待核查：{n} 处尚未核查（涉及 {m} 个数据项）",
        "en": "To review: {n} not yet reviewed (holding {m} figures)",
    },
    "overview_review_link": {"zh": "去核查", "en": "Review them"},
    "col_corrected": {"zh": "人工更正", "en": "Corrected by hand"},
    "export_corrected": {"zh": "人工更正", "en": "Corrected by hand"},
    "export_corrected_note": {
        "zh": "{n} 处数值经人工更正（谁、何时、为何，见看板“审计记录”）",
        "en": "{n} value(s) corrected by hand (who, when and why: the dashboard's audit log)",
    },
}

# Files refused on loading (etl.errors.InputError's `code`), as the 数据 page says it: what
# is wrong and what to do, in the reader's language; {programs} is one of PROGRAMS.
INPUT_ERRORS: dict[str, dict[str, str]] = {
    "save_as": {
        "zh": "无法读取 {suffix} 文件。请用 {programs} 打开，另存为 {target} 后再上传。",
        "en": "{suffix} files cannot be read. Open it in {programs} and save it as {target}.",
    },
    "type": {
        "zh": "不支持的文件类型 {suffix}。请上传 txt、html、docx、pdf 通报或 xlsx、csv 整改台账。",
        "en": "Unsupported file type {suffix}. Give a .txt, .html, .docx or .pdf report, or an .xlsx or .csv ledger.",
    },
    "no_text": {
        "zh": "文件中没有找到文字。请确认它是通报，而不是空白页面。",
        "en": "No text found in the file. Check that it is a report, not an empty page.",
    },
    "unreadable": {
        "zh": "文件无法读取（已损坏，或并非其扩展名所示的格式）。请用 {programs} 打开后另存，再上传。",
        "en": "The file cannot be read (damaged, or not what its name says). Open it in {programs}, save it again and upload it again.",
    },
    "unsafe": {
        "zh": "文件中含有表格不需要的 XML 实体声明，出于安全考虑已拒绝。请用 {programs} 打开后另存为 .xlsx。",
        "en": "The file declares XML entities, which no spreadsheet needs; refused as unsafe. Open it in {programs} and save it again as .xlsx.",
    },
    "zip_bomb": {
        "zh": "文件解压后远大于其本身（疑似压缩炸弹或文件已损坏）。请用 {programs} 打开后另存，或提供原始文件。",
        "en": "The file inflates far beyond its size (a zip bomb or a damaged file). Open it in {programs} and save it again, or send the original.",
    },
    "document_too_large": {
        "zh": "文档的段落或元素超过读取上限。请拆分成较小的文档，或确认它是通报。",
        "en": "The document holds more paragraphs or elements than the reader takes. Split it into smaller documents, or check that it is a report.",
    },
    "scanned_pdf": {
        "zh": "这是扫描版 PDF（没有文字层）。请先做文字识别（OCR），或索取 Word 或文本版。",
        "en": "The PDF has no text layer (a scanned image). Run OCR on it first, or ask for the Word or text version.",
    },
    "not_found": {"zh": "找不到文件。", "en": "File not found."},
    "folder": {"zh": "这是文件夹，不是文件。", "en": "This is a folder, not a file."},
    "empty": {
        "zh": "文件为空。请重新导出该通报后再上传。",
        "en": "The file is empty. Export the report again.",
    },
    "too_big": {
        "zh": "文件有 {mib} MiB，超过 {limit} MiB 的上限。请拆分，或确认它是通报。",
        "en": "The file is {mib} MiB, over the {limit} MiB limit. Split it, or check that it is a report.",
    },
    "permission": {
        "zh": "没有读取该文件的权限。请检查文件权限。",
        "en": "The file cannot be read. Check its permissions.",
    },
    "binary": {
        "zh": "这看起来是二进制文件，不是文本通报。请上传 .txt 或 .html 通报。",
        "en": "This looks like a binary file, not a text report. Give a .txt or .html report.",
    },
    "encoding": {
        "zh": "无法识别文字编码。请把通报另存为 UTF-8 后再上传。",
        "en": "The text encoding cannot be told. Save the report as UTF-8 and try again.",
    },
    "csv_unreadable": {
        "zh": "CSV 文件无法读取。请在 Excel 或 WPS 中另存为 CSV（UTF-8）或 .xlsx。",
        "en": "The CSV file cannot be read. Save it again from Excel or WPS as CSV (UTF-8) or as .xlsx.",
    },
    "csv_is_workbook": {
        "zh": "这是以 .csv 命名的表格工作簿，不是 CSV 文本。请在 Excel 或 WPS 中另存为 .xlsx（或 CSV）。",
        "en": "This is a spreadsheet workbook under a .csv name, not CSV text. Save it as .xlsx (or as CSV) from Excel or WPS.",
    },
    "ledger_columns": {
        "zh": "单元格 {ref} 超出台账 {limit} 列的上限。请删除该处内容，或把台账的列移到左侧。",
        "en": "Cell {ref} lies beyond the {limit}-column limit of a ledger. Delete what is there, or move the ledger's columns to the left.",
    },
    "ledger_rows": {
        "zh": "有内容的行超过台账 {limit} 行的上限。请把台账拆分成较小的文件。",
        "en": "More than {limit} rows with content, the limit of a ledger. Split the ledger into smaller files.",
    },
    "ledger_merges": {
        "zh": "工作表“{sheet}”的合并单元格异常（过多或相互重叠）。请用 Excel 或 WPS 打开后另存为 .xlsx。",
        "en": "Sheet “{sheet}” has too many or overlapping merged cells. Open it in Excel or WPS and save it again as .xlsx.",
    },
    "ledger_no_header": {
        "zh": "没有找到台账表头（写有序号、问题、整改措施、责任单位等列名的行）。请检查工作表，或把本单位台账的列名加入 etl/rules/ledger.yaml。",
        "en": "No ledger header found (a row naming columns such as 序号, 问题, 整改措施, 责任单位). Check the sheet, or add your ledger's column names to etl/rules/ledger.yaml.",
    },
    "memory": {
        "zh": "读取该文件所需内存超过单个文件的上限（文件可能已损坏或是恶意构造的）。请拆分成较小的文件，或附上文件报告此问题。",
        "en": "It needs more memory than one file may take (a damaged or hostile file). Split it into smaller files, or report it with the file attached.",
    },
    "not_report": {
        "zh": "其中没有找到整改进展通报（没有章节、问题或巡察表头）。请确认它是巡视/巡察整改通报或整改台账。",
        "en": "No rectification report found in it (no sections, findings or inspection header). Check that it is a 巡视/巡察整改 report or ledger.",
    },
    "contract": {
        "zh": "识别结果未通过一致性检查。请附上文件报告此问题。",
        "en": "What was read from it failed the consistency checks. Report it with the file attached.",
    },
}
# The programs that open and save a file again (etl.errors.office_programs), by kind.
PROGRAMS = {
    "word": {"zh": "Word 或 WPS", "en": "Word or WPS"},
    "excel": {"zh": "Excel 或 WPS", "en": "Excel or WPS"},
    "pdf": {"zh": "PDF 阅读器", "en": "a PDF reader"},
    "text": {"zh": "文本编辑器", "en": "a text editor"},
    "ofd": {"zh": "OFD 阅读器", "en": "the OFD reader"},
}
# What an unreadable old or foreign format is saved as, and in what.
SAVE_AS = {
    ".doc": (".docx", "word"),
    ".wps": (".docx", "word"),
    ".rtf": (".docx", "word"),
    ".ofd": (".pdf", "ofd"),
    ".xls": (".xlsx", "excel"),
    ".et": (".xlsx", "excel"),
}


# The programs a file of each suffix is opened and saved again in.
PROGRAMS_BY_SUFFIX = {
    ".docx": "word",
    ".xlsx": "excel",
    ".csv": "excel",
    ".pdf": "pdf",
    ".txt": "text",
    ".html": "text",
    ".htm": "text",
}


def programs_for(name: str, lang: str) -> str:
    """The programs to open and save a file of this name again in, in `lang`."""
    suffix = "." + str(name).rsplit(".", 1)[-1].lower() if "." in str(name) else ""
    return PROGRAMS[PROGRAMS_BY_SUFFIX.get(suffix, "text")][lang]


def input_message(code: str | None, fields: dict | None, lang: str) -> str | None:
    """A refused file's problem and what to do, in `lang` (INPUT_ERRORS); None for a code
    the catalogue lacks (the caller shows the parser's own line)."""
    entry = INPUT_ERRORS.get(code or "")
    if entry is None:
        return None
    fields = dict(fields or {})
    target, programs = SAVE_AS.get(fields.get("suffix", ""), ("", fields.get("programs", "")))
    fields.setdefault("target", target)
    fields["programs"] = PROGRAMS.get(fields.get("programs") or programs, PROGRAMS["excel"])[lang]
    try:
        return entry[lang].format(**fields)
    except (KeyError, IndexError, ValueError):
        return None


# Units as leaders read them; counter words in English are a gloss.
UNITS: dict[str, dict[str, str]] = {
    "km": {"zh": "公里", "en": "km"},
    "m": {"zh": "米", "en": "m"},
    "m2": {"zh": "平米", "en": "m²"},
    "km2": {"zh": "平方公里", "en": "km²"},
    "yuan": {"zh": "元", "en": "yuan"},
    "percent": {"zh": "%", "en": "%"},
    "项": {"zh": "项", "en": "items"},
    "次": {"zh": "次", "en": "times"},
    "座": {"zh": "座", "en": "units"},
    "户": {"zh": "户", "en": "households"},
    "处": {"zh": "处", "en": "sites"},
}


def t(key: str, lang: str = "zh") -> str:
    entry = MESSAGES[key]
    return entry.get(lang) or entry["zh"]


def plural(key: str, lang: str, count: int, **fields) -> str:
    """A message about `count` things, in the form for one where the language has one (an
    `en_one` entry: "1 parse warning", "2 parse warnings"); {n} is `count` unless `fields`
    gives it another form (format_number's)."""
    entry = MESSAGES[key]
    text = entry.get(f"{lang}_one") if count == 1 else None
    return (text or t(key, lang)).format(**{"n": count, **fields})


def labelled(key: str, lang: str, text: object) -> str:
    """A label and what follows it: "载入失败：原因" / "Loading failed: why". A full-width
    mark carries its own space, so none is added after one."""
    label = t(key, lang)
    return f"{label}{text}" if label.endswith(("：", "（")) else f"{label} {text}"


def both(key: str) -> str:
    """A message in both languages, for places shown before a language is chosen (sign-in)."""
    return " · ".join(t(key, lang) for lang in LANGS)


# The kinds of inspection a report follows, as the report writes them (header.yaml).
INSPECTION_KINDS: dict[str, dict[str, str]] = {
    "巡视": {"zh": "巡视", "en": "Inspection tour"},
    "巡察": {"zh": "巡察", "en": "Local inspection"},
}


def inspection_kind_label(kind: str, lang: str = "zh") -> str:
    """巡视 or 巡察 in `lang`; another word reads as written."""
    return INSPECTION_KINDS.get(kind, {}).get(lang, kind)


def unit_label(unit: str, lang: str = "zh") -> str:
    return UNITS.get(unit, {}).get(lang, unit)


def indicator_name(row, lang: str = "zh") -> str:
    return row["name_zh"] if lang == "zh" else row["name_en"]
