"""Exercise widgets: one module per kind of exercise.

Every builder returns a widget bound to the learner's answer store (it restores saved
answers and saves every change) and never displays itself; the notebook does that.
Importing this package also teaches the portfolio how to show each kind of answer.
"""

from partnership_lib.core.html import escape
from partnership_lib.models.checklists import (
    ChecklistItem,
    GroupScore,
    ScoreBand,
    describe_checklist_scores,
    plot_checklist_scores,
    table_checklist_scores,
    update_checklist_scores,
)
from partnership_lib.models.conversations import (
    ConversationStep,
    WorkedConversation,
    split_conversation,
    worked_conversation,
    worked_conversations,
)
from partnership_lib.models.postits import (
    PostIt,
    describe_postit_wall,
    evaluation_wall,
    plot_postit_wall,
    table_postit_wall,
)
from partnership_lib.models.ratings import (
    compare_ratings,
    describe_rating_change,
    describe_ratings,
    plot_rating_change,
    plot_ratings,
    table_rating_change,
    table_ratings,
    update_ratings,
)
from partnership_lib.widgets.base import (
    Binding,
    Exercise,
    NotebookProgress,
    exercise_binding,
    live_region,
)
from partnership_lib.widgets.checklist import Checklist, checklist
from partnership_lib.widgets.feedback import FeedbackReveal, feedback_html, feedback_reveal
from partnership_lib.widgets.learning_log import LearningLog, learning_log
from partnership_lib.widgets.live import LiveChart
from partnership_lib.widgets.postits import PostItWall, postit_wall
from partnership_lib.widgets.rating import RatingScale, rating_scale
from partnership_lib.widgets.sorter import (
    Category,
    Matching,
    MatchPair,
    Sorter,
    SortItem,
    matching_exercise,
    partnership_definition_pairs,
    sorter,
    team_trait_items,
)
from partnership_lib.widgets.stakeholder_editor import StakeholderEditor, stakeholder_editor
from partnership_lib.widgets.tagger import ConversationTagger, conversation_tagger
from partnership_lib.widgets.text import (
    BoundText,
    FormField,
    ScenarioForm,
    TextForm,
    TextPrompt,
    fill_form,
    scenario_fields,
    scenario_form,
    text_form,
    text_prompt,
    undo_fill,
)

__all__ = [
    "Binding",
    "BoundText",
    "Category",
    "Checklist",
    "ChecklistItem",
    "ConversationStep",
    "ConversationTagger",
    "Exercise",
    "FeedbackReveal",
    "FormField",
    "GroupScore",
    "LearningLog",
    "LiveChart",
    "MatchPair",
    "Matching",
    "NotebookProgress",
    "PostIt",
    "PostItWall",
    "RatingScale",
    "ScenarioForm",
    "ScoreBand",
    "SortItem",
    "Sorter",
    "StakeholderEditor",
    "TextForm",
    "TextPrompt",
    "WorkedConversation",
    "checklist",
    "compare_ratings",
    "conversation_tagger",
    "describe_checklist_scores",
    "describe_postit_wall",
    "describe_rating_change",
    "describe_ratings",
    "escape",
    "evaluation_wall",
    "exercise_binding",
    "feedback_html",
    "feedback_reveal",
    "fill_form",
    "learning_log",
    "live_region",
    "matching_exercise",
    "partnership_definition_pairs",
    "plot_checklist_scores",
    "plot_postit_wall",
    "plot_rating_change",
    "plot_ratings",
    "postit_wall",
    "rating_scale",
    "scenario_fields",
    "scenario_form",
    "sorter",
    "split_conversation",
    "stakeholder_editor",
    "table_checklist_scores",
    "table_postit_wall",
    "table_rating_change",
    "table_ratings",
    "team_trait_items",
    "text_form",
    "text_prompt",
    "undo_fill",
    "update_checklist_scores",
    "update_ratings",
    "worked_conversation",
    "worked_conversations",
]
