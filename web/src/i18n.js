// Labels in Chinese (the default) and English. The Chinese words are RULES.md's vocabulary:
// 商家 (store), 违规 (violation), 保证金 (deposit), 申诉 (appeal), 报备 (filing), 安心购 (assurance
// badge), 极速推 (quick promotion), 联盟订单 (affiliate order).
const zh = {
  title: "shopwarden 控制台", signin: "登录", signout: "退出", apikey: "API 密钥",
  signin_hint: "密钥只保存在本标签页的会话存储中，关闭或退出即清除。",
  lang: "English", queue: "工作队列", stores: "商家", store: "商家", audit: "审计日志",
  statements: "推广者结算单", approvals: "双人复核", my_store: "我的店铺",
  pending_violations: "待审违规", open_appeals: "申诉", rectification_reports: "整改报告",
  qualifications_in_review: "资质审核", filings_in_review: "报备审核",
  review_failed: "极速推审核失败", flagged_orders: "联盟订单待复核", affiliate_alerts: "异常告警",
  confirm: "确认违规", dismiss: "驳回", uphold: "支持申诉", reject: "驳回申诉", approve: "批准",
  reject_filing: "驳回", accept: "通过", refund: "退款", claim: "认领", release: "释放",
  claimed_by: "认领人", claims_off: "认领功能尚未启用（服务器未提供 /v1/queue/claims）",
  notes_off: "内部备注尚未启用（服务器未提供 /v1/notes）",
  approvals_off: "双人复核尚未启用（服务器未提供 /v1/approvals）",
  reason: "原因（必填）", note: "备注", cancel: "取消", run: "执行", retry: "用同一幂等键重试",
  network_error: "网络错误：请求可能未送达。", count_will_run: (n) => `将对 ${n} 项执行：`,
  selected: (n) => `已选 ${n} 项`, bulk: "批量", shortcuts: "快捷键",
  status: "状态", holds: "限制", deposit: "保证金", balance: "余额", required: "应缴",
  shortfall: "缺口", owed: "欠缴", ledger: "流水", violations: "违规", appeals: "申诉",
  badge: "安心购", missing: "缺少", products: "商品", promotions: "极速推", filings: "报备",
  notes: "内部备注（商家不可见）", add_note: "添加备注", time: "时间", type: "类型",
  subject: "对象", amount: "金额", actor: "操作人", rule: "规则", policy_version: "策略版本",
  findings: "命中", sla: "申诉时限", overdue: "已超时", due_in: "剩余", exposure: "曝光",
  estimate: "预估曝光", actual: "实际曝光", file_appeal: "提交申诉", activate: "开通安心购",
  dismiss_reminder: "暂不开通", reminder: "开通提醒", submit: "提交报备", withdraw: "撤回",
  list: "上架", delist: "下架", documents: "资料", filter: "筛选", from: "起", to: "止",
  merchant: "商家", command: "命令", more: "更多", nothing: "暂无", loading: "加载中…",
  lines: "明细", total: "合计", month: "月份", promoter: "推广者", id: "编号", product: "商品",
  penalty: "处罚", deduct: "扣除", events: "事件", help_title: "键盘快捷键",
  k_next: "下一项", k_prev: "上一项", k_select: "选中/取消", k_confirm: "确认违规 / 支持申诉 / 批准",
  k_dismiss: "驳回", k_claim: "认领 / 释放", k_help: "显示本帮助", k_close: "关闭对话框",
  k_open: "打开所属商家", pending: "待复核", deposit_chart: "保证金余额变化",
  promo_chart: "曝光与预估", not_found: "页面不存在或无权访问", forbidden_store: "无权访问该商家",
  state: "状态", services: "服务", reasons: "原因", decided: "已处理", four_eyes: "已提交，待另一位运营复核",
  product_changed: "商品已修改", rectify: "提交整改报告", reason_col: "理由", report: "整改报告", code: "资质", expires: "到期", streamer: "主播", price: "价格",
  flags: "风险标记", details: "详情", role: "角色", timeline: "时间线", name: "名称", approve_req: "批准", reject_req: "驳回",
};
const en = {
  title: "shopwarden console", signin: "Sign in", signout: "Sign out", apikey: "API key",
  signin_hint: "The key is kept in this tab's session storage only; closing the tab or signing out clears it.",
  lang: "中文", queue: "Work queues", stores: "Stores", store: "Store", audit: "Audit log",
  statements: "Promoter statements", approvals: "Four-eyes approvals", my_store: "My store",
  pending_violations: "Queued findings", open_appeals: "Appeals", rectification_reports: "Rectification reports",
  qualifications_in_review: "Qualifications", filings_in_review: "Filings in review",
  review_failed: "Failed quick promotions", flagged_orders: "Flagged affiliate orders", affiliate_alerts: "Spike alerts",
  confirm: "Confirm", dismiss: "Dismiss", uphold: "Uphold", reject: "Reject", approve: "Approve",
  reject_filing: "Reject", accept: "Accept", refund: "Refund", claim: "Claim", release: "Release",
  claimed_by: "Claimed by", claims_off: "Claims are not available yet (no /v1/queue/claims on this server)",
  notes_off: "Internal notes are not available yet (no /v1/notes on this server)",
  approvals_off: "Four-eyes approval is not available yet (no /v1/approvals on this server)",
  reason: "Reason (required)", note: "Note", cancel: "Cancel", run: "Run", retry: "Retry with the same Idempotency-Key",
  network_error: "Network error: the request may not have arrived.", count_will_run: (n) => `Will run on ${n} item(s):`,
  selected: (n) => `${n} selected`, bulk: "Bulk", shortcuts: "Shortcuts",
  status: "Status", holds: "Holds", deposit: "Deposit", balance: "Balance", required: "Required",
  shortfall: "Shortfall", owed: "Owed", ledger: "Ledger", violations: "Violations", appeals: "Appeals",
  badge: "Assurance badge", missing: "Missing", products: "Products", promotions: "Quick promotions", filings: "Filings",
  notes: "Internal notes (stores never see them)", add_note: "Add note", time: "Time", type: "Type",
  subject: "Subject", amount: "Amount", actor: "Actor", rule: "Rule", policy_version: "Policy version",
  findings: "Findings", sla: "Appeal SLA", overdue: "Overdue", due_in: "Due in", exposure: "Exposure",
  estimate: "Estimated exposure", actual: "Actual exposure", file_appeal: "File an appeal", activate: "Activate badge",
  dismiss_reminder: "Not now", reminder: "Reminder", submit: "Submit filing", withdraw: "Withdraw",
  list: "List", delist: "Delist", documents: "Documents", filter: "Filter", from: "From", to: "To",
  merchant: "Store", command: "Command", more: "More", nothing: "Nothing here", loading: "Loading…",
  lines: "Lines", total: "Total", month: "Month", promoter: "Promoter", id: "ID", product: "Product",
  penalty: "Penalty", deduct: "Deduction", events: "Events", help_title: "Keyboard shortcuts",
  k_next: "Next item", k_prev: "Previous item", k_select: "Select / unselect", k_confirm: "Confirm / uphold / approve",
  k_dismiss: "Dismiss / reject", k_claim: "Claim / release", k_help: "Show this help", k_close: "Close dialog",
  k_open: "Open the item's store", pending: "Pending", deposit_chart: "Deposit balance over time",
  promo_chart: "Exposure against estimate", not_found: "No such page, or not yours to see", forbidden_store: "Not your store",
  state: "State", services: "Services", reasons: "Reasons", decided: "Decided", four_eyes: "Submitted: waiting for a second operator's approval",
  product_changed: "product changed since", rectify: "Submit rectification report", reason_col: "Reason", report: "Report", code: "Qualification", expires: "Expires", streamer: "Streamer", price: "Price",
  flags: "Flags", details: "Details", role: "Role", timeline: "Timeline", name: "Name", approve_req: "Approve", reject_req: "Reject",
};
const dicts = { "zh-CN": zh, en };
let lang = localStorage.getItem("sw.lang") === "en" ? "en" : "zh-CN";

export function getLang() { return lang; }
export function setLang(l) { lang = l; localStorage.setItem("sw.lang", l); document.documentElement.lang = l; }
export function t(key, ...args) {
  const v = dicts[lang][key] ?? zh[key] ?? key;
  return typeof v === "function" ? v(...args) : v;
}
